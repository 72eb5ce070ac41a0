"""manage.py import_papers PATH... --group DAG [--commit] [--json] [--create-people]

Bulk backfill of past papers (minutes documents, slide packs, paper packs: .docx, .pdf,
.txt; a folder is read for those): each paper is read and previewed against the tracker,
its preview and problems printed (or given as JSON), and with --commit the papers with no
problem are committed, each in its own transaction and as its own undoable batch.

Names the tracker does not hold are problems, as on the preview page: --create-people adds
the people of names with no near match (a near match, "Pettit" for "Pettitt", still needs
the secretariat's choice on the page), so nobody is merged or duplicated silently.
"""

import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from core.models import GovernanceGroup
from core.uploads import UploadRefused
from meetings.paper_import.commit import ImportRefused, import_commit
from meetings.paper_import.draft import PaperImport
from meetings.paper_import.interpret import NEW
from meetings.paper_import.preview import build_preview
from meetings.paper_import.read import KINDS, read_file

SURE = 90  # a near match this good is a person the secretariat must rule on


class Command(BaseCommand):
    help = "Preview, and with --commit import, past papers of a group as past meetings."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Paper files, or folders of them.")
        parser.add_argument("--group", required=True, help="The group's code, e.g. DAG.")
        parser.add_argument("--commit", action="store_true", help="Commit papers with no problem.")
        parser.add_argument("--json", action="store_true", help="Print the previews as JSON.")
        parser.add_argument(
            "--create-people",
            action="store_true",
            help="Add the people of names with no near match in the tracker.",
        )

    def handle(self, *args, **options):
        group = GovernanceGroup.objects.filter(code=options["group"].upper()).first()
        if group is None:
            raise CommandError(f"No group {options['group']}.")
        reports = [self.one(group, path, options) for path in self.files(options["paths"])]
        if options["json"]:
            self.stdout.write(json.dumps(reports, indent=2, default=str))
        if any(report["problems"] for report in reports) and not options["json"]:
            self.stderr.write(f"{sum(1 for r in reports if r['problems'])} paper(s) have problems.")

    def files(self, paths):
        for name in paths:
            path = Path(name)
            if path.is_dir():
                yield from sorted(p for p in path.iterdir() if p.suffix.lower() in KINDS)
            elif path.is_file():
                yield path
            else:
                raise CommandError(f"No such file or folder: {name}")

    def one(self, group, path, options):
        report = {"file": str(path), "meeting": "", "problems": [], "committed": False}
        try:
            paper = read_file(path.read_bytes(), path.name)
        except UploadRefused as refused:
            report["problems"].append(str(refused))
            return self.show(report, options)
        people = {}
        preview = build_preview(group=group, paper=paper, people=people)
        if options["create_people"]:
            for name, who in preview.people.items():
                if (
                    not who.resolved
                    and not who.several
                    and not any(s >= SURE for _, s in who.matches)
                ):
                    people[name] = NEW
            preview = build_preview(group=group, paper=paper, people=people)
        header = paper.header
        report["meeting"] = f"{group.code}{header.number or 0:03d}" if header.number else "?"
        report["rows"] = preview.summary()
        report["people"] = {
            name: {
                "person": who.person.pk if who.person else None,
                "create": who.create,
                "matches": [[person.name, score] for person, score in who.matches],
            }
            for name, who in preview.people.items()
        }
        report["problems"] = [f"{row.section} {row.index + 1}: {p}" for row, p in preview.problems]
        if options["commit"] and preview.can_commit:
            draft = PaperImport(
                group=group, filename=path.name, paper=paper.to_json(), people=people
            )
            draft.source_file.save(path.name, ContentFile(path.read_bytes()), save=False)
            draft.save()
            try:
                meeting = import_commit(paper_import=draft, user=None)
            except ImportRefused as refused:
                report["problems"].append(str(refused))
            else:
                report["committed"] = True
                report["import"] = draft.pk
                report["meeting"] = meeting.code
        return self.show(report, options)

    def show(self, report, options):
        if options["json"]:
            return report
        self.stdout.write(f"{report['file']}: {report['meeting'] or 'not read'}")
        for section, rows in report.get("rows", {}).items():
            states = [row["state"] for row in rows]
            if rows:
                counts = ", ".join(f"{states.count(s)} {s}" for s in sorted(set(states)))
                self.stdout.write(f"  {section}: {len(rows)} ({counts})")
        for problem in report["problems"]:
            self.stdout.write(f"  problem: {problem}")
        if report["committed"]:
            self.stdout.write(f"  committed as import {report['import']}")
        return report
