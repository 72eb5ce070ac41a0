"""The forms of a paper's import: the upload (a file, or text pasted from a PDF viewer)."""

from django import forms

from core.uploads import UploadRefused, check_size


class PaperUploadForm(forms.Form):
    file = forms.FileField(
        label="Paper",
        required=False,
        help_text="A minutes document, slide pack or meeting papers: Word (.docx), PDF or text.",
    )
    text = forms.CharField(
        label="Or paste its text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What a PDF viewer copies: select all, copy, paste.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                check_size(upload)
            except UploadRefused as refused:
                raise forms.ValidationError(str(refused)) from refused
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("text", "").strip() and not self.errors:
            raise forms.ValidationError("Choose a file or paste the paper's text.")
        return cleaned
