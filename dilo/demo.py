"""Demo DILO sessions at Northwind Mutual: a dozen observed working days across the lines."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from dilo.models import FrequencyUnit, Observation, Severity, TimelineEntry
from dilo.services import painpoint_create

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from stakeholders.models import BusinessLine

DAY, WEEK = FrequencyUnit.PER_DAY, FrequencyUnit.PER_WEEK
LOW, MEDIUM, HIGH, CRITICAL = Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL


@dataclass(frozen=True)
class Pain:
    description: str
    system: str
    frequency: int
    unit: FrequencyUnit
    minutes: int
    severity: Severity
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Session:
    line: str
    role: str
    days_ago: int
    goal: str
    summary: str
    # (time, activity, systems used)
    entries: tuple[tuple[str, str, str], ...]
    pains: tuple[Pain, ...]


SESSIONS: tuple[Session, ...] = (
    Session(
        "Claims",
        "Claims handler",
        18,
        "See where a motor claims handler's day goes between first notification and payment.",
        "Most of the day is spent **moving data between systems**, not deciding claims.\n\n"
        "- Every approved claim is keyed twice: ClaimCenter, then the payment system.\n"
        "- Photos arrive by e-mail and are uploaded one at a time.",
        (
            ("08:30", "Logs in to Citrix, ClaimCenter, Outlook and the payment portal", "Citrix"),
            ("08:45", "Works the overnight first-notification queue", "Guidewire ClaimCenter"),
            ("09:30", "Calls a policyholder about a windscreen claim", "Avaya softphone"),
            ("10:15", "Re-keys approved claims into the payment system", "ClaimCenter, SAP FI"),
            ("11:00", "Chases a garage for a repair estimate", "Outlook"),
            ("12:30", "Lunch; the Citrix session times out", ""),
            ("13:15", "Checks fraud indicators for two new claims", "FRISS, ClaimCenter"),
            ("14:00", "Uploads photos sent by e-mail into the claim file", "Outlook, ClaimCenter"),
            ("15:30", "Team huddle on the backlog", "Microsoft Teams"),
            ("16:15", "Updates the team's backlog spreadsheet", "Excel"),
        ),
        (
            Pain(
                "Re-keys claim number into the payment system",
                "Guidewire ClaimCenter",
                25,
                DAY,
                2,
                HIGH,
                ("re-keying", "integration"),
            ),
            Pain(
                "Saves photos from Outlook and uploads them to the claim one by one",
                "Outlook",
                12,
                DAY,
                3,
                MEDIUM,
                ("manual upload", "email"),
            ),
            Pain(
                "Citrix session drops after lunch; logs in to four systems again",
                "Citrix",
                1,
                DAY,
                10,
                MEDIUM,
                ("login", "stability"),
            ),
        ),
    ),
    Session(
        "Accounts Payable",
        "AP clerk",
        35,
        "Understand why only 40% of invoices pass through without a touch.",
        "OCR rejects about a third of PDF invoices; each is then keyed by hand. "
        "Approvers get no reminders, so clerks chase them by e-mail.",
        (
            ("08:00", "Opens the shared AP mailbox and sorts new invoices", "Outlook"),
            ("08:20", "Sends PDF invoices to capture and checks the rejects", "Kofax capture"),
            ("09:00", "Keys rejected invoices into SAP", "SAP S/4HANA"),
            ("10:30", "Matches invoices to purchase orders and goods receipts", "SAP S/4HANA"),
            ("11:15", "Chases approvers for invoices on hold", "Outlook"),
            ("13:00", "Answers a supplier's payment query by phone", "Avaya softphone, SAP"),
            ("14:00", "Fills in a vendor bank-detail change form", "SharePoint"),
            ("15:00", "Checks the proposal list of tomorrow's payment run", "SAP S/4HANA"),
            ("16:00", "Builds the exceptions report", "Excel"),
        ),
        (
            Pain(
                "Keys header and line data of invoices that OCR rejects",
                "Kofax invoice capture",
                40,
                DAY,
                3,
                HIGH,
                ("re-keying", "ocr"),
            ),
            Pain(
                "Chases approvers by e-mail because the workflow sends no reminders",
                "SAP invoice approval workflow",
                15,
                DAY,
                4,
                MEDIUM,
                ("chasing", "workflow"),
            ),
            Pain(
                "Rebuilds the weekly exceptions report from three exports",
                "Excel",
                1,
                WEEK,
                90,
                MEDIUM,
                ("reporting", "spreadsheet"),
            ),
        ),
    ),
    Session(
        "Underwriting",
        "Commercial property underwriter",
        60,
        "See how broker submissions reach a quote, and what slows pricing down.",
        "Brokers send schedules as spreadsheets attached to e-mails; the underwriter copies "
        "them into the rating engine cell by cell. Large schedules take minutes to rate.",
        (
            ("08:45", "Triages broker submissions in the shared mailbox", "Outlook"),
            ("09:15", "Copies a 120-location schedule into the rating engine", "Radar, Excel"),
            ("10:30", "Waits for the rating engine to recalculate", "Radar"),
            ("11:00", "Checks flood and fire risk scores", "Risk maps portal"),
            ("12:00", "Call with a broker about deductibles", "Microsoft Teams"),
            ("13:30", "Refers a risk above authority to the senior underwriter", "Outlook"),
            ("14:15", "Prepares the quote letter", "Word, Policy admin system"),
            ("15:30", "Records the quote in the policy admin system", "Policy admin system"),
            ("16:30", "Updates the submissions tracker", "Excel"),
        ),
        (
            Pain(
                "Copies risk data from broker e-mail attachments into the rating engine",
                "Radar rating engine",
                8,
                DAY,
                12,
                CRITICAL,
                ("re-keying", "broker data"),
            ),
            Pain(
                "Waits for the rating engine to recalculate large schedules",
                "Radar rating engine",
                6,
                DAY,
                5,
                HIGH,
                ("performance",),
            ),
        ),
    ),
    Session(
        "Customer Service",
        "Contact-centre agent",
        9,
        "Find out why first-contact resolution sits at 68% when the target is 80%.",
        "The agent cannot find a customer by policy number in the CRM, so most calls start "
        "with a search across three systems. The softphone froze twice during the day.",
        (
            ("08:00", "Logs in to the softphone, CRM and policy admin", "Avaya softphone"),
            ("08:10", "Takes calls from the queue", "Avaya softphone, Salesforce"),
            ("09:40", "Searches three systems to identify a caller", "Salesforce, Policy admin"),
            ("10:30", "Logs a complaint", "Salesforce, SharePoint"),
            ("11:45", "Call drops when the softphone freezes; calls back", "Avaya softphone"),
            ("12:30", "Lunch", ""),
            ("13:15", "Takes calls from the queue", "Avaya softphone, Salesforce"),
            ("15:00", "Coaching session with the team leader", "Microsoft Teams"),
            ("15:45", "Sends policy documents a customer asked for", "Policy admin, Outlook"),
            ("16:45", "Wrap-up: finishes call notes", "Salesforce"),
        ),
        (
            Pain(
                "Searches three systems to find the customer: the CRM has no policy search",
                "Salesforce Service Cloud",
                60,
                DAY,
                1,
                HIGH,
                ("search", "single view"),
            ),
            Pain(
                "Softphone freezes and drops the call; the agent calls the customer back",
                "Avaya softphone",
                2,
                DAY,
                6,
                CRITICAL,
                ("stability", "telephony"),
            ),
            Pain(
                "Types complaint notes twice: in the CRM and in the complaints log",
                "Complaints log (SharePoint)",
                10,
                DAY,
                2,
                MEDIUM,
                ("re-keying",),
            ),
        ),
    ),
    Session(
        "Customer Service",
        "Complaints handler",
        100,
        "See what a complaint takes from the first call to the final response letter.",
        "Each complaint needs the call recording, which lives in a separate system with its "
        "own login and no link from the CRM.",
        (
            ("08:30", "Reviews new complaints in the log", "SharePoint"),
            ("09:00", "Finds the call recording for each new complaint", "NICE call recording"),
            ("10:00", "Calls a customer to understand the complaint", "Avaya softphone"),
            ("11:00", "Requests the claim file from Claims", "Outlook"),
            ("13:00", "Drafts a final response letter", "Word"),
            ("14:30", "Gets the letter approved by the team leader", "Outlook"),
            ("15:30", "Updates the complaint log and the CRM", "SharePoint, Salesforce"),
        ),
        (
            Pain(
                "Looks up the call recording in a separate system for every complaint",
                "NICE call recording",
                15,
                DAY,
                3,
                MEDIUM,
                ("search", "telephony"),
            ),
        ),
    ),
    Session(
        "Human Resources",
        "HR recruiter",
        80,
        "Find the steps that keep time-to-hire at 45 days.",
        "Candidates are copied by hand from the job board into the HR system, and every "
        "interview is booked through a chain of e-mails.",
        (
            ("09:00", "Screens overnight applications on the job board", "LinkedIn Recruiter"),
            ("09:45", "Copies shortlisted candidates into the HR system", "Workday"),
            ("10:30", "Books interviews with hiring managers", "Outlook"),
            ("11:30", "Phone screen with a candidate", "Microsoft Teams"),
            ("13:00", "Prepares an offer letter", "Word, Workday"),
            ("14:00", "Chases interview feedback", "Outlook"),
            ("15:00", "Updates the hiring pipeline report", "Excel"),
        ),
        (
            Pain(
                "Copies candidate details from the job board into the HR system",
                "Workday Recruiting",
                15,
                DAY,
                4,
                HIGH,
                ("re-keying", "integration"),
            ),
            Pain(
                "Books interviews by e-mail ping-pong instead of shared calendars",
                "Outlook",
                8,
                DAY,
                6,
                MEDIUM,
                ("scheduling",),
            ),
        ),
    ),
    Session(
        "Actuarial",
        "Actuarial analyst",
        120,
        "See why the overnight reserving runs do not finish by 7am.",
        "Twice a week the overnight run fails on a data load and is restarted in the morning; "
        "claims triangles are still extracted by hand from the warehouse.",
        (
            ("07:30", "Checks whether the overnight reserving run finished", "Prophet"),
            ("07:45", "Restarts the failed run and tells the team", "Prophet, Teams"),
            ("09:00", "Extracts claims triangles from the data warehouse", "SQL Server"),
            ("10:30", "Reconciles the triangles to the ledger", "Excel, SAP FI"),
            ("12:00", "Reviews model assumptions with the chief actuary", "Teams"),
            ("14:00", "Runs sensitivity scenarios", "Prophet"),
            ("16:00", "Writes the weekly reserving note", "Word"),
        ),
        (
            Pain(
                "The overnight reserving run fails on a data load and is restarted",
                "Prophet",
                2,
                WEEK,
                90,
                CRITICAL,
                ("batch", "stability"),
            ),
            Pain(
                "Extracts claims triangles by hand from the data warehouse",
                "SQL Server data warehouse",
                3,
                WEEK,
                45,
                MEDIUM,
                ("data extract", "manual"),
            ),
        ),
    ),
    Session(
        "Financial Planning & Analysis",
        "FP&A analyst",
        150,
        "Understand the effort behind the quarterly forecast.",
        "Budget holders send 14 spreadsheets that are consolidated by copy and paste; the "
        "budgeting tool times out on large uploads.",
        (
            ("08:30", "Collects forecast spreadsheets from budget holders", "Outlook, Excel"),
            ("09:30", "Consolidates the spreadsheets", "Excel"),
            ("11:00", "Uploads the consolidation to the budgeting tool", "Hyperion Planning"),
            ("11:30", "Upload times out; splits the file and retries", "Hyperion Planning"),
            ("13:30", "Variance analysis against actuals", "Excel, SAP FI"),
            ("15:00", "Prepares the management pack", "PowerPoint"),
        ),
        (
            Pain(
                "Consolidates 14 budget spreadsheets by copy and paste",
                "Excel",
                10,
                WEEK,
                20,
                HIGH,
                ("spreadsheet", "consolidation"),
            ),
            Pain(
                "The budgeting tool times out on large uploads",
                "Hyperion Planning",
                1,
                DAY,
                15,
                MEDIUM,
                ("performance",),
            ),
        ),
    ),
    Session(
        "Sales & Broker Relations",
        "Broker account manager",
        200,
        "See what it takes to onboard a new broker.",
        "A new broker is set up by hand in four systems. There is no single view of a "
        "broker's business, so reviews start with exports merged in Excel.",
        (
            ("09:00", "Reviews a new broker's agency agreement", "DocuSign"),
            ("09:45", "Sets the broker up in the broker portal", "Broker portal"),
            ("10:30", "Sets the same broker up in policy admin and commissions", "Policy admin"),
            ("11:30", "Requests portal logins for the broker's staff", "ServiceNow"),
            ("13:00", "Prepares a broker review from two exports", "Salesforce, Excel"),
            ("14:30", "Broker review meeting", "Microsoft Teams"),
            ("16:00", "Logs the meeting and follow-ups", "Salesforce"),
        ),
        (
            Pain(
                "Sets up each new broker by hand in four systems",
                "Broker portal",
                3,
                WEEK,
                40,
                HIGH,
                ("onboarding", "re-keying"),
            ),
            Pain(
                "No single view of a broker: merges two exports in Excel",
                "Salesforce Sales Cloud",
                4,
                DAY,
                5,
                MEDIUM,
                ("single view", "spreadsheet"),
            ),
        ),
    ),
    Session(
        "Legal & Compliance",
        "Compliance officer",
        240,
        "Understand how the quarterly regulatory return is produced.",
        "Figures are copied from five reports into the return workbook by hand, and records "
        "past retention are found by searching shared drives.",
        (
            ("09:00", "Runs the five source reports", "SAP FI, Data warehouse"),
            ("10:00", "Copies figures into the regulatory return workbook", "Excel"),
            ("11:30", "Checks the return against last quarter", "Excel"),
            ("13:00", "Answers a data-protection request", "Outlook, SharePoint"),
            ("14:00", "Searches shared drives for records past retention", "File shares"),
            ("15:30", "Policy review meeting", "Microsoft Teams"),
        ),
        (
            Pain(
                "Builds the regulatory return by copying figures from five reports",
                "Regulatory reporting workbook",
                2,
                WEEK,
                60,
                CRITICAL,
                ("reporting", "regulatory"),
            ),
            Pain(
                "Searches shared drives for records past their retention date",
                "Shared network drives",
                1,
                DAY,
                20,
                MEDIUM,
                ("records", "search"),
            ),
        ),
    ),
    Session(
        "Marketing",
        "Campaign manager",
        280,
        "See how campaign results reach the team.",
        "Responses arrive the next day as a file that is reloaded into the CRM by hand.",
        (
            ("09:00", "Downloads yesterday's campaign responses", "Adobe Campaign"),
            ("09:30", "Cleans and reloads the responses into the CRM", "Excel, Salesforce"),
            ("10:30", "Builds the renewal e-mail segment", "Adobe Campaign"),
            ("12:00", "Reviews creative with the agency", "Microsoft Teams"),
            ("14:00", "Updates the website banner", "Sitecore"),
            ("15:30", "Reports campaign results to the head of marketing", "PowerPoint"),
        ),
        (
            Pain(
                "Downloads campaign responses and reloads them into the CRM",
                "Adobe Campaign",
                3,
                WEEK,
                25,
                MEDIUM,
                ("data extract", "integration"),
            ),
        ),
    ),
    Session(
        "Operations",
        "Mail room operator",
        310,
        "Measure the work a paperless mail room would remove.",
        "Every letter is scanned, then its sender and policy number are typed into the "
        "indexing screen. The scanner jams a few times a day and the batch restarts.",
        (
            ("07:30", "Opens and sorts the morning post", ""),
            ("08:15", "Scans the first batch", "Kodak Capture Pro"),
            ("08:45", "Types sender and policy number for each document", "Kodak Capture Pro"),
            ("10:30", "Clears a scanner jam and restarts the batch", "Kodak Capture Pro"),
            ("11:00", "Routes indexed documents to Claims and Underwriting", "Workflow queue"),
            ("13:00", "Scans the afternoon batch", "Kodak Capture Pro"),
            ("15:00", "Prepares outgoing post", "Franking machine"),
        ),
        (
            Pain(
                "Types the sender and policy number of every scanned letter",
                "Kodak Capture Pro",
                120,
                DAY,
                1,
                HIGH,
                ("re-keying", "paper"),
            ),
            Pain(
                "The scanner jams and the whole batch is rescanned",
                "Kodak Capture Pro",
                3,
                DAY,
                8,
                MEDIUM,
                ("hardware",),
            ),
        ),
    ),
    Session(
        "Claims",
        "Claims team leader",
        340,
        "See how a team leader manages the backlog across the team.",
        "The daily backlog report is built by hand from ClaimCenter exports; reassigning "
        "claims when someone is off sick is one claim at a time.",
        (
            ("08:00", "Exports open claims per handler", "Guidewire ClaimCenter"),
            ("08:15", "Builds the daily backlog report", "Excel"),
            ("09:00", "Stand-up with the team", "Microsoft Teams"),
            ("09:30", "Reassigns the claims of a handler who is off sick", "ClaimCenter"),
            ("11:00", "Authorises payments above the handlers' limit", "ClaimCenter, SAP FI"),
            ("13:30", "Quality checks on closed claims", "ClaimCenter"),
            ("15:00", "One-to-one with a new handler", "Microsoft Teams"),
            ("16:30", "Sends the backlog report to the operations manager", "Outlook"),
        ),
        (
            Pain(
                "Builds the daily backlog report by hand from ClaimCenter exports",
                "Guidewire ClaimCenter",
                1,
                DAY,
                35,
                MEDIUM,
                ("reporting", "spreadsheet"),
            ),
            Pain(
                "Reassigns claims one by one when a handler is off sick",
                "Guidewire ClaimCenter",
                2,
                WEEK,
                30,
                LOW,
                ("workflow",),
            ),
        ),
    ),
    Session(
        "Finance",
        "Month-end accountant",
        45,
        "Find what stands between today's 8-day close and the 5-day target.",
        "Bank reconciliations are ticked off by hand in Excel, and journals wait for "
        "approval by e-mail.",
        (
            ("08:30", "Downloads bank statements", "Bank portal"),
            ("09:00", "Reconciles bank statements to the ledger", "Excel, SAP FI"),
            ("11:00", "Posts accrual journals", "SAP FI"),
            ("12:00", "Chases journal approvals", "Outlook"),
            ("13:30", "Intercompany matching", "SAP FI, Excel"),
            ("15:00", "Prepares balance sheet reconciliations", "BlackLine"),
            ("16:30", "Close checklist update", "SharePoint"),
        ),
        (
            Pain(
                "Reconciles bank statements by ticking off lines in Excel",
                "Excel",
                1,
                DAY,
                45,
                HIGH,
                ("reconciliation", "spreadsheet"),
            ),
            Pain(
                "Journals wait for approval by e-mail during the close",
                "SAP FI",
                6,
                DAY,
                5,
                MEDIUM,
                ("workflow", "chasing"),
            ),
        ),
    ),
)


@transaction.atomic
def seed_observations(
    *,
    lines: dict[str, BusinessLine],
    observers: list[User],
    rng: random.Random,
    today: date,
) -> int:
    """Create the demo DILO sessions and return how many were created.

    Idempotent: a session whose (line, observed role, date) exists is left alone. Dates
    come from ``today`` and a fixed number of days, never from ``rng``, because the caller's
    generator may be in a different state on a second run. Sessions of lines missing
    from ``lines`` are skipped. ``rng`` only picks an observer when several fit.
    """
    if not observers:
        raise ValueError("seed_observations needs at least one observer")
    created = 0
    for session in SESSIONS:
        line = lines.get(session.line)
        if line is None:
            continue
        observed_on = today - timedelta(days=session.days_ago)
        # Keyed on line and role, not the date: the dates move with `today`, and a second
        # run on a later day must still change nothing.
        if Observation.objects.filter(line=line, observed_role=session.role).exists():
            continue
        # A line's own liaison observes it when they are among the observers.
        serving = {user.pk for user in line.liaisons.all()}
        observer = rng.choice([u for u in observers if u.pk in serving] or observers)
        observation = Observation.objects.create(
            line=line,
            observed_role=session.role,
            observer=observer,
            observed_on=observed_on,
            goal=session.goal,
            summary=session.summary,
        )
        TimelineEntry.objects.bulk_create(
            TimelineEntry(
                observation=observation,
                at=time.fromisoformat(at),
                activity=activity,
                systems=systems,
            )
            for at, activity, systems in session.entries
        )
        for pain in session.pains:
            painpoint_create(
                observation=observation,
                description=pain.description,
                system=pain.system,
                frequency=pain.frequency,
                frequency_unit=pain.unit,
                minutes_lost=pain.minutes,
                severity=pain.severity,
                tag_names=pain.tags,
            )
        created += 1
    return created
