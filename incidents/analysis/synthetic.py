"""A seeded generator of labelled incident sets for measuring the grouping quality.

Each set is a year of incidents of a dozen business lines. Most incidents are ordinary
background: everyday issues (passwords, printers, laptops, Teams, "how do I" questions) and
many unrelated issues on the line's main system. Hidden among them are a few recurring
problems, each described in varied words (paraphrases, typos, abbreviations) and filed with
blank, generic or wrong configuration items and categories. A problem either rises (a few a
week, then many a week in the last 30 days) or is chronic (steady and high every week).
The `problem` field is the label; background incidents have ``problem=None``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

WINDOW_DAYS = 30


@dataclass(frozen=True)
class SyntheticIncident:
    number: str
    line: str
    opened_at: datetime
    short_description: str
    description: str
    service: str
    configuration_item: str
    category: str
    caller: str
    resolve_hours: float
    problem: str | None


@dataclass(frozen=True)
class _Line:
    name: str
    system: str  # the line's main system, as people write it
    service: str
    ci: str
    category: str


_LINES = [
    _Line("Finance", "SAP", "SAP ERP", "SAP-PRD-FI", "ERP"),
    _Line("Claims", "Guidewire", "Guidewire ClaimCenter", "GW-CC-PROD", "Business Application"),
    _Line("Sales", "Salesforce", "Salesforce CRM", "SFDC-PROD", "CRM"),
    _Line("Logistics", "WMS", "Manhattan WMS", "WMS-PRD-01", "Warehouse"),
    _Line("HR", "Workday", "Workday HCM", "WD-TENANT-PROD", "HR Systems"),
    _Line("Treasury", "Kyriba", "Kyriba Treasury", "KYR-PROD", "Finance Apps"),
    _Line("Procurement", "Coupa", "Coupa Procurement", "COUPA-PRD", "Procurement"),
    _Line("Legal", "iManage", "iManage Work", "IMN-PRD-02", "Document Management"),
    _Line("Marketing", "HubSpot", "HubSpot Marketing", "HUBSPOT", "Marketing Apps"),
    _Line("Manufacturing", "MES", "Siemens Opcenter MES", "MES-PLANT-A", "Plant Systems"),
    _Line("Customer Service", "Zendesk", "Zendesk Support", "ZD-PROD", "Service Desk Apps"),
    _Line("Risk", "Archer", "RSA Archer", "ARCHER-PRD", "GRC"),
    _Line("Facilities", "Planon", "Planon FM", "PLANON-PRD", "Facilities Apps"),
    _Line("Research", "LIMS", "LabWare LIMS", "LIMS-PRD", "Lab Systems"),
]

_SLOTS: dict[str, list[str]] = {
    "place": ["at the hotel", "in the airport lounge", "on the train", "at home", "abroad"],
    "n": ["2", "5", "10", "15", "20", "30"],
    "report": ["aging report", "monthly summary", "open items list", "KPI report", "GL extract"],
    "doc": ["invoice", "order", "journal entry", "claim", "case", "purchase req"],
    "loc": ["dock 3", "bay 7", "packing line 2", "outbound", "goods in"],
    "floor": ["2nd floor", "floor 4", "ground floor", "building B", "3rd flr"],
    "share": ["finance", "projects", "team", "S:", "common"],
    "other": ["the warehouse", "billing", "the data warehouse", "the portal", "payroll"],
    "phone": ["iPhone", "Android phone", "mobile", "phone", "iPad"],
    "code": ["E1042", "ERR-503", "0x80070005", "401", "E77", "timeout 504", "NullRef"],
    "module": ["reporting", "approvals", "master data", "workflow", "dashboards", "admin"],
    "id": ["1002345", "77821", "A-4410", "55-120", "9001", "31337", "4711"],
    "app": ["Adobe Reader", "Visio", "Power BI", "7-Zip", "Notepad++", "Zoom", "Python"],
    "person": ["my manager", "a new joiner", "my colleague", "the intern", "our contractor"],
}

# Recurring problems. "main" problems are filed against the line's main system, so that
# the service alone does not tell them from the system's everyday issues.
_PROBLEMS: list[dict[str, object]] = [
    {
        "key": "vpn-hotel",
        "main": False,
        "service": "Remote Access",
        "ci": "Cisco AnyConnect",
        "category": "Network",
        "texts": [
            "VPN drops on hotel wifi",
            "AnyConnect disconnects while travelling",
            "lost vpn when on hotel network",
            "vpn keeps disconnecting {place}",
            "Cisco AnyConnect session drops every {n} min",
            "remote access cuts out on guest wifi {place}",
            "VPN conn lost repeatedly, hotel wi-fi",
        ],
        "details": [
            "The tunnel reconnects and drops again.",
            "Works at the office but not on public wifi.",
            "Secure client shows reconnecting.",
        ],
    },
    {
        "key": "export-timeout",
        "main": True,
        "texts": [
            "{sys} report export to Excel times out",
            "cannot export {report} from {sys}",
            "{sys} export hangs at {n}%",
            "excel download from {sys} fails",
            "timeout when exporting {report} to xls",
            "{sys}: export of {report} never finishes",
        ],
        "details": [
            "The spreadsheet download spins and then fails.",
            "Export worked last month.",
            "Gateway timeout after a few minutes.",
        ],
    },
    {
        "key": "label-printer",
        "main": False,
        "service": "Printing",
        "ci": "Zebra ZT410",
        "category": "Hardware",
        "texts": [
            "Zebra label printer at {loc} prints blank labels",
            "shipping labels come out empty",
            "label printer skipping labels {loc}",
            "blank labels from zebra {loc}",
            "lable printer prints nothing on the labels",
            "thermal printer {loc} feeds empty labels",
        ],
        "details": [
            "Labels feed through without print.",
            "Ribbon looks fine.",
            "Parcels are waiting to be shipped.",
        ],
    },
    {
        "key": "sso-loop",
        "main": True,
        "texts": [
            "{sys} login loops back to sign-in page",
            "SSO redirect loop when opening {sys}",
            "keeps asking me to log in to {sys} again and again",
            "stuck in login loop {sys}",
            "{sys} sign on fails after MFA prompt",
            "single sign-on to {sys} redirects endlessly",
            "{sys} logon loop after authenticator approval",
        ],
        "details": [
            "After approving the authenticator prompt the page returns to login.",
            "Clearing cookies did not help.",
            "Happens in Edge and Chrome.",
        ],
    },
    {
        "key": "scan-email",
        "main": False,
        "service": "Printing",
        "ci": "Ricoh MFP",
        "category": "Hardware",
        "texts": [
            "scan to email not arriving",
            "scanner on {floor} doesn't send scans",
            "scanned documents never reach my inbox",
            "MFP scan2mail not working {floor}",
            "no email from the copier after scanning",
        ],
        "details": [
            "The copier says sent but nothing arrives.",
            "Checked junk folder.",
            "Scanning to USB still works.",
        ],
    },
    {
        "key": "posting-freeze",
        "main": True,
        "texts": [
            "{sys} freezes when posting {doc}",
            "posting {doc} in {sys} hangs",
            "{sys} not responding on save of {doc}",
            "spinning wheel when I post a {doc} in {sys}",
            "{sys} screen locks up during {doc} posting",
            "cant post {doc}, {sys} stuck",
        ],
        "details": [
            "Have to kill the session and start over.",
            "The document is sometimes posted twice.",
            "Happens with larger documents.",
        ],
    },
    {
        "key": "drive-access",
        "main": False,
        "service": "File Services",
        "ci": "FS-CLUSTER-01",
        "category": "Storage",
        "texts": [
            "access denied to {share} drive",
            "can't open files on the {share} share",
            "mapped drive {share} disconnected, permission error",
            "no permission on {share} network folder anymore",
            "shared folder {share} says access is denied",
        ],
        "details": [
            "Could open it yesterday.",
            "The whole team is affected.",
            "Error says you need permission.",
        ],
    },
    {
        "key": "citrix-freeze",
        "main": False,
        "service": "Virtual Desktop",
        "ci": "Citrix VDA Pool",
        "category": "End User Computing",
        "texts": [
            "Citrix session freezes",
            "virtual desktop hangs every afternoon",
            "VDI frozen, have to reconnect",
            "Citrix workspace stuck on black screen",
            "remote desktop (citrix) locks up after {n} minutes",
            "citrix sesion frozen again",
        ],
        "details": [
            "Mouse does not move inside the session.",
            "Reconnecting brings it back for a while.",
            "Lost unsaved work.",
        ],
    },
    {
        "key": "interface-missing",
        "main": True,
        "texts": [
            "orders from {sys} not reaching {other}",
            "interface {sys} to {other} missing records",
            "{other} not receiving data from {sys}",
            "records missing in {other}, sent from {sys}",
            "{sys} outbound feed to {other} incomplete",
        ],
        "details": [
            "Yesterday's batch is partly missing.",
            "Reconciliation shows gaps.",
            "Some transactions were not transferred.",
        ],
    },
    {
        "key": "calendar-mobile",
        "main": False,
        "service": "Email",
        "ci": "Exchange Online",
        "category": "Messaging",
        "texts": [
            "calendar not syncing on {phone}",
            "Outlook meetings missing on my {phone}",
            "meeting invites don't show up on {phone}",
            "agenda on {phone} out of date, outlook sync",
            "outlook calender not updating on mobile",
        ],
        "details": [
            "Desktop Outlook shows the meetings.",
            "Removed and added the account again.",
            "Missed a meeting because of it.",
        ],
    },
]

# Everyday background issues, each with a few paraphrases.
_EVERYDAY: list[tuple[str, str, str, list[str]]] = [
    (
        "Identity",
        "Active Directory",
        "Access",
        [
            "password expired",
            "need a password reset",
            "forgot my password",
            "pwd reset please",
            "can't log on, password expired",
        ],
    ),
    (
        "Identity",
        "Active Directory",
        "Access",
        ["account locked out", "my account is locked", "locked out after too many attempts"],
    ),
    (
        "Printing",
        "Print Server",
        "Hardware",
        [
            "printer on {floor} is offline",
            "paper jam {floor}",
            "printer not printing",
            "cannot add printer",
            "toner empty on {floor}",
        ],
    ),
    (
        "Workplace",
        "Laptop",
        "Hardware",
        [
            "laptop very slow",
            "laptop battery not charging",
            "laptop won't boot",
            "blue screen on laptop",
            "laptop fan loud and hot",
        ],
    ),
    (
        "Workplace",
        "Monitor",
        "Hardware",
        ["second monitor not detected", "docking station no display", "screen flickering"],
    ),
    (
        "Collaboration",
        "Microsoft Teams",
        "Collaboration",
        [
            "Teams camera not working",
            "cannot join Teams meeting",
            "Teams status stuck on away",
            "Teams chat messages delayed",
        ],
    ),
    (
        "Email",
        "Outlook",
        "Messaging",
        [
            "mailbox full",
            "how do I add a signature in Outlook",
            "how do I share my calendar",
            "outlook keeps crashing",
            "shared mailbox not visible",
        ],
    ),
    (
        "Software",
        "Software Center",
        "Software",
        [
            "please install {app}",
            "need {app} installed",
            "how do I get a licence for {app}",
            "{app} update failed",
        ],
    ),
    (
        "Access",
        "Access Request",
        "Access",
        [
            "access for {person} to {module}",
            "new joiner needs accounts",
            "how do I request access for {person}",
        ],
    ),
    (
        "Telephony",
        "Mobile Phones",
        "Telephony",
        [
            "new phone setup",
            "phone screen cracked",
            "voicemail pin reset",
            "how do I forward my desk phone",
        ],
    ),
    (
        "Storage",
        "OneDrive",
        "Storage",
        [
            "OneDrive not syncing",
            "restore deleted file",
            "how do I recover a previous version of a file",
        ],
    ),
    (
        "Workplace",
        "Peripherals",
        "Hardware",
        ["keyboard not working", "mouse broken", "headset request", "need a new charger"],
    ),
]

# Unrelated everyday issues on a line's main system: many topics, each rare.
_MAIN_EVERYDAY = [
    "{sys}: cannot find vendor {id}",
    "need role in {sys} for {module}",
    "field greyed out in {sys} {module}",
    "question about {sys} {module} report",
    "how do I change my default printer in {sys}",
    "{sys} shows error {code}",
    "{sys} access for {person}",
    "wrong currency shown in {sys} for {id}",
    "{sys} {module} approval stuck with {person}",
    "how do I create a saved search in {sys}",
    "duplicate record {id} in {sys}",
    "{sys} password reset",
    "{sys} training request for {person}",
    "{sys} dashboard missing a column",
    "change request: new field in {sys} {module}",
    "{sys} workflow {id} assigned to wrong team",
    "{sys} attachment upload too large",
    "{sys} email notifications not received for {module}",
    "please unlock my {sys} user",
    "{sys} date format wrong in {module}",
    "how do I delegate {sys} approvals while on leave",
    "{sys} mass upload template question",
]

_FILLER = [
    "Please help.",
    "Urgent, customer waiting.",
    "Tried restarting, same issue.",
    "Caller working from home today.",
    "Screenshot attached.",
    "Not sure who to ask.",
    "Happened again this morning.",
    "",
]
_GENERIC = ["", "", "Other", "General", "Inquiry / Help", "Unknown"]
_OTHER_CIS = ["Laptop", "Outlook", "Print Server", "Active Directory", "Microsoft Teams", "Network"]
_FIRST = [
    "anna",
    "ben",
    "chen",
    "dina",
    "eli",
    "fatma",
    "gus",
    "hana",
    "ivan",
    "jo",
    "kemal",
    "lea",
    "marco",
    "nina",
    "omar",
    "pia",
    "raj",
    "sara",
    "tom",
    "uma",
    "vera",
    "wim",
]
_LAST = [
    "meyer",
    "smith",
    "garcia",
    "kim",
    "novak",
    "rossi",
    "jansen",
    "haddad",
    "olsen",
    "ito",
    "silva",
    "brown",
    "weber",
    "khan",
    "dubois",
    "berg",
]
_ABBREV = {
    "cannot": "cant",
    "password": "pwd",
    "and": "&",
    "please": "pls",
    "with": "w/",
    "minutes": "mins",
    "doesn't": "doesnt",
    "again": "agn",
    "printer": "prntr",
}


def _fill(template: str, rng: random.Random, system: str) -> str:
    text = template.replace("{sys}", system)
    while "{" in text:
        start = text.index("{")
        end = text.index("}", start)
        text = text[:start] + rng.choice(_SLOTS[text[start + 1 : end]]) + text[end + 1 :]
    return text


def _mess(text: str, rng: random.Random) -> str:
    """People's spelling: case, abbreviations and the odd typo."""
    roll = rng.random()
    if roll < 0.15:
        words = [_ABBREV.get(word, word) for word in text.split()]
        text = " ".join(words)
    elif roll < 0.25 and len(text) > 6:
        i = rng.randrange(1, len(text) - 2)
        text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    elif roll < 0.32 and len(text) > 6:
        i = rng.randrange(1, len(text) - 1)
        text = text[:i] + text[i + 1 :]
    roll = rng.random()
    if roll < 0.2:
        text = text.lower()
    elif roll < 0.25:
        text = text.upper()
    return text


def _day_weights(days: int, start: date) -> list[float]:
    """Fewer incidents at weekends."""
    return [0.25 if (start + timedelta(days=d)).weekday() >= 5 else 1.0 for d in range(days)]


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method is fine for the small daily rates used here.
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def generate(
    *, seed: int, lines: int = 12, days: int = 365, as_of: date, anyone_calls: bool = False
) -> list[SyntheticIncident]:
    """A labelled set: `days` of incidents of `lines` lines up to and including `as_of`.

    A hidden problem hits a set of 15-60 of the line's people; with `anyone_calls`, any of
    the line's people instead (a harder set: callers then tell problems from background no
    more than they do everyday issues).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    chosen = rng.sample(_LINES, min(lines, len(_LINES)))
    first_day = as_of - timedelta(days=days - 1)
    weights = _day_weights(days, first_day)
    midnight = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    rows: list[tuple[str, datetime, str, str, str, str, str, str, float, str | None]] = []

    # A few hidden problems per set, on about half of the lines.
    with_problems = rng.sample(range(len(chosen)), k=max(1, round(len(chosen) * 0.5)))
    plan: dict[int, list[tuple[dict[str, object], str]]] = {}
    for i in with_problems:
        count = 1 if rng.random() < 0.7 else 2
        plan[i] = [(spec, rng.choice(["rise", "chronic"])) for spec in rng.sample(_PROBLEMS, count)]

    for i, line in enumerate(chosen):
        callers = [
            f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}{rng.randrange(100)}"
            for _ in range(rng.randrange(120, 400))
        ]
        base_rate = rng.uniform(4.0, 9.0)
        main_share = rng.uniform(0.35, 0.5)
        for day in range(days):
            for _ in range(_poisson(rng, base_rate * weights[day])):
                opened = midnight + timedelta(days=day, minutes=rng.randrange(7 * 60, 19 * 60))
                if rng.random() < main_share:
                    short = _fill(rng.choice(_MAIN_EVERYDAY), rng, line.system)
                    service, ci, cat = line.service, line.ci, line.category
                    if rng.random() < 0.3:
                        ci, cat = rng.choice(_GENERIC), rng.choice(_GENERIC)
                else:
                    service, ci, cat, texts = rng.choice(_EVERYDAY)
                    short = _fill(rng.choice(texts), rng, line.system)
                    if rng.random() < 0.3:
                        ci, cat = rng.choice(_GENERIC), rng.choice(_GENERIC)
                short = _mess(short, rng)
                description = f"{short}. {rng.choice(_FILLER)}".strip()
                hours = rng.lognormvariate(1.0, 1.0)
                rows.append(
                    (
                        line.name,
                        opened,
                        short,
                        description,
                        service,
                        ci,
                        cat,
                        rng.choice(callers),
                        hours,
                        None,
                    )
                )

        for spec, kind in plan.get(i, []):
            label = f"{line.name}/{spec['key']}"
            texts = list(spec["texts"])  # type: ignore[call-overload]
            details = list(spec["details"])  # type: ignore[call-overload]
            if spec["main"]:
                service, ci, cat = line.service, line.ci, line.category
            else:
                service, ci, cat = str(spec["service"]), str(spec["ci"]), str(spec["category"])
            messy = rng.uniform(0.3, 0.5)
            affected = rng.sample(callers, k=min(len(callers), rng.randrange(15, 60)))
            if anyone_calls:
                affected = callers
            if kind == "rise":
                start = days - rng.randrange(60, 200)
                before, after = rng.uniform(0.2, 1.0), rng.uniform(6.0, 12.0)
            else:
                start = days - rng.randrange(250, 360)
                before = after = rng.uniform(7.0, 11.0)
            for day in range(max(0, start), days):
                weekly = after if day >= days - WINDOW_DAYS else before
                for _ in range(_poisson(rng, weekly / 5.5 * weights[day])):
                    opened = midnight + timedelta(days=day, minutes=rng.randrange(7 * 60, 19 * 60))
                    short = _mess(_fill(rng.choice(texts), rng, line.system), rng)
                    description = f"{short}. {rng.choice(details)} {rng.choice(_FILLER)}".strip()
                    p_ci, p_cat = ci, cat
                    if rng.random() < messy:
                        p_ci = rng.choice(_GENERIC + _OTHER_CIS)
                        p_cat = rng.choice([*_GENERIC, "Software", "Hardware", "Access"])
                    rows.append(
                        (
                            line.name,
                            opened,
                            short,
                            description,
                            service,
                            p_ci,
                            p_cat,
                            rng.choice(affected),
                            rng.lognormvariate(1.5, 0.8),
                            label,
                        )
                    )

    rows.sort(key=lambda row: (row[1], row[0], row[2]))
    return [SyntheticIncident(f"INC{n:07d}", *row) for n, row in enumerate(rows, start=1)]
