"""The agenda email: sent through the Celery job when the schedule is published, in each
member's language, once per publish; a re-run emails an "updated agenda" only to those whose
meetings moved (Django's locmem outbox; Celery eager, as in the embedded run)."""

import icalendar
import pytest
from django.utils import timezone

from accounts.tests.factories import OrganizationFactory, member_of
from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.services.agendas import send_agenda_emails
from matchmaking.services.scheduling import event_schedule
from matchmaking.tests.factories import (
    demand_listing,
    open_event,
    register,
    supply_and_demand_match,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(actors, reference):
    """Supplier, buyer and a second buyer registered; one accepted supplier–buyer meeting."""
    event = open_event(reference, sessions=1)
    match = supply_and_demand_match(actors, reference, score=0.8)
    register(event, actors.supplier_org, [match.supply])
    register(event, actors.buyer_org, [match.demand])
    late = OrganizationFactory(name="Siêu thị Muộn", kind="retailer", province=reference.hcmc)
    member_of(late)
    register(event, late, [demand_listing(actors, reference, organization=late)])
    accepted(event, actors.supplier_org, actors.buyer_org)
    ConnectionEvent.objects.filter(pk=event.pk).update(status="closed")
    actors.buyer.preferred_language = "en"
    actors.buyer.save()
    return event, late


def accepted(event, a, b):
    return Meeting.objects.create(
        event=event,
        requester=a,
        counterpart=b,
        score=0.7,
        status=Meeting.Status.ACCEPTED,
        expires_at=event.sessions.first().starts_at,
    )


def publish(event, officer, capture):
    with capture(execute=True):
        return event_schedule(event=event, by_user=officer, time_limit=5)


def agenda_mails(outbox):
    return [m for m in outbox if "agenda" in m.subject.lower() or "lịch" in m.subject.lower()]


def test_publishing_emails_each_member_its_timetable_in_its_language(
    actors, conference, mailoutbox, django_capture_on_commit_callbacks
):
    event, late = conference
    publish(event, actors.officer, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get(status="scheduled")
    start = timezone.localtime(meeting.starts_at)
    mails = {m.to[0]: m for m in agenda_mails(mailoutbox)}
    assert set(mails) == {actors.supplier.email, actors.buyer.email, late.members.first().email}
    vi = mails[actors.supplier.email]
    assert vi.subject.startswith("Lịch gặp của bạn") and event.name in vi.subject
    assert f"{start:%d/%m/%Y %H:%M}" in vi.body
    assert f"Bàn {meeting.table} · {actors.buyer_org.name}" in vi.body
    assert f"/events/{event.pk}/agenda/{actors.supplier_org.pk}/" in vi.body
    assert f"/events/{event.pk}/agenda/{actors.supplier_org.pk}/agenda.ics" in vi.body
    en = mails[actors.buyer.email]
    assert en.subject.startswith("Your agenda") and event.name_en in en.subject
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert f"{start.day:02d} {months[start.month - 1]} {start.year} {start:%H:%M}" in en.body
    assert f"Table {meeting.table} · {actors.supplier_org.name}" in en.body
    (_name, content, mimetype) = en.attachments[0]
    assert mimetype == "text/calendar"
    (item,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert item.decoded("dtstart") == meeting.starts_at
    nothing = mails[late.members.first().email]
    assert "Chưa xếp được cuộc gặp nào cho bạn" in nothing.body and not nothing.body.count("Bàn ")
    assert all(r.agenda_emailed_at for r in Registration.objects.filter(event=event))


def test_once_per_publish_and_updates_only_to_those_whose_meetings_moved(
    actors, conference, mailoutbox, django_capture_on_commit_callbacks
):
    event, late = conference
    publish(event, actors.officer, django_capture_on_commit_callbacks)
    assert len(agenda_mails(mailoutbox)) == 3
    assert send_agenda_emails(event.pk) == {"organizations": 0, "emails": 0, "unchanged": 3}
    publish(event, actors.officer, django_capture_on_commit_callbacks)  # nothing changed
    assert len(agenda_mails(mailoutbox)) == 3
    accepted(event, actors.supplier_org, late)
    publish(event, actors.officer, django_capture_on_commit_callbacks)
    updates = agenda_mails(mailoutbox)[3:]
    assert sorted(m.to[0] for m in updates) == sorted(
        [actors.supplier.email, late.members.first().email]
    )
    assert all(m.subject.startswith("Lịch gặp đã thay đổi") for m in updates)
    supplier_update = next(m for m in updates if m.to == [actors.supplier.email])
    assert late.name in supplier_update.body and actors.buyer_org.name in supplier_update.body


def test_members_who_turned_emails_off_get_none(
    actors, conference, mailoutbox, django_capture_on_commit_callbacks
):
    event, _late = conference
    actors.supplier.email_notifications = False
    actors.supplier.save()
    publish(event, actors.officer, django_capture_on_commit_callbacks)
    assert actors.supplier.email not in {m.to[0] for m in agenda_mails(mailoutbox)}
    assert actors.buyer.email in {m.to[0] for m in agenda_mails(mailoutbox)}


def test_the_digest_does_not_repeat_the_published_schedule(
    actors, conference, mailoutbox, django_capture_on_commit_callbacks
):
    event, _late = conference
    publish(event, actors.officer, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == len(agenda_mails(mailoutbox)) == 3


def test_the_sweep_sends_first_agendas_that_never_left(actors, conference, mailoutbox):
    from matchmaking.services.agendas import sweep_unsent_agendas

    event, _late = conference
    event_schedule(event=event, by_user=actors.officer, time_limit=5)  # on-commit never ran
    assert agenda_mails(mailoutbox) == []
    assert sweep_unsent_agendas() == 3
    assert len(agenda_mails(mailoutbox)) == 3
    assert sweep_unsent_agendas() == 0
