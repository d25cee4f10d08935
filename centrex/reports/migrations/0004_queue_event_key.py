"""queue_log lines are unique on a 64-bit hash of the line rather than on eight columns."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    from centrex.pbx.ingest.records import line_key

    QueueEvent = apps.get_model("reports", "QueueEvent")
    seen = set()
    for event in QueueEvent.objects.order_by("pk").iterator():
        key = line_key(int(event.time.timestamp()), event.callid, event.queue, event.agent,
                       event.event, (event.data1, event.data2, event.data3, event.data4,
                                     event.data5))
        if key in seen:  # the same line twice (the old key left data4 and data5 out)
            event.delete()
            continue
        seen.add(key)
        event.key = key
        event.save(update_fields=["key"])


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_billing"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="queueevent",
                                    name="reports_queueevent_unique_line"),
        migrations.AddField(model_name="queueevent", name="key",
                            field=models.BigIntegerField(null=True)),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(model_name="queueevent", name="key",
                              field=models.BigIntegerField(unique=True)),
    ]
