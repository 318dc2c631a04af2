"""Kegiatan numbers unique per plan in the database: each kegiatan carries its program's plan."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def rencana_from_program(apps, schema_editor):
    Kegiatan = apps.get_model("renaksi", "Kegiatan")
    Program = apps.get_model("renaksi", "Program")
    Kegiatan.objects.update(
        rencana_id=Subquery(Program.objects.filter(pk=OuterRef("program_id")).values("rencana_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("renaksi", "0004_profile_nip_validated"),
    ]

    operations = [
        migrations.AddField(
            model_name="kegiatan",
            name="rencana",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="renaksi.rencanaaksi",
            ),
        ),
        migrations.RunPython(rencana_from_program, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="kegiatan",
            name="rencana",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="renaksi.rencanaaksi",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="kegiatan",
            name="kegiatan_nomor_unik",
        ),
        migrations.AddConstraint(
            model_name="kegiatan",
            constraint=models.UniqueConstraint(
                fields=("rencana", "nomor"),
                name="kegiatan_nomor_unik_per_rencana",
                violation_error_message="Nomor ini sudah dipakai di rencana aksi ini.",
            ),
        ),
    ]
