"""A project whose site shows incidents beside the knowledge base: the example reviews and hand-made incidents.

The incidents are written here as a team writes them (incident files of the format in
ingest/model/incident_format.py); what the pages must show is read from these texts and from
the example reviews (example-payments' latest, 2026-03-02: the surge question high, auto-scaling
none, the operational goals unanswered; example-search's latest, 2026-02-10: auto-scaling medium).
"""

from __future__ import annotations

from pathlib import Path

from reviewsite import reviews_project

SURGE = "orr-does-your-architecture-handle-a-sudden"
SCALING = "orr-does-your-service-support-auto-scaling"
GOALS = "orr-describe-your-operational-goals-for-the"

INCIDENT_FILES = {
    "2026-03-10-checkout-fell-over-in-the-spring-sale.md": f"""\
---
date: 2026-03-10
services: [example-payments]
severity: sev2
type: outage
status: reviewed
---

# Checkout fell over in the spring sale

## Contributing factors

### The sale's surge of traffic overwhelmed the card authoriser `f1`

Kind: technical
Patterns: throttling
Biases: optimism-bias
Questions: {SURGE}
""",
    "2026-01-20-payments-scaled-out-too-late.md": f"""\
---
date: 2026-01-20
services: [example-payments]
severity: sev3
type: degradation
status: reviewed
---

# Payments scaled out too late

## Contributing factors

### New instances came up twenty minutes after the load `f1`

Kind: technical
Patterns: auto-scaling, throttling
Biases: groupthink
Questions: {SCALING}

### Nobody questioned the scaling plan `f2`

Kind: human factors
Biases: groupthink
""",
    "2025-12-05-nobody-knew-what-fast-enough-meant.md": f"""\
---
date: 2025-12-05
services: [example-payments]
severity: sev4
type: near miss
status: draft
---

# Nobody knew what fast enough meant

## Contributing factors

### No latency goal was written down `f1`

Kind: process

## Action items

- Write the latency goals
  - status: open
  - factor: f1
  - question: {GOALS}
""",
}

# A stop of the onboarding path (added after the project's own) naming an incident.
ONBOARDING_STOP = """
  - title: What bit us
    learn: The sale that took checkout down.
    incidents: [2026-03-10-checkout-fell-over-in-the-spring-sale]
"""

# What the pages must show, from the texts above.
SLUGS = {"surge": "2026-03-10-checkout-fell-over-in-the-spring-sale",
         "scaling": "2026-01-20-payments-scaled-out-too-late",
         "goals": "2025-12-05-nobody-knew-what-fast-enough-meant"}
TITLES = {"surge": "Checkout fell over in the spring sale", "scaling": "Payments scaled out too late",
          "goals": "Nobody knew what fast enough meant"}


def crosslinks_project(tmp_path: Path) -> Path:
    """The project with the example reviews (no generated ones) and the incidents above, shown."""
    project = reviews_project(tmp_path, services=0, reviews=0)
    folder = project / "incidents"
    folder.mkdir(exist_ok=True)
    for name, text in INCIDENT_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with open(project / "onboarding.yml", "a", encoding="utf-8") as onboarding:
        onboarding.write(ONBOARDING_STOP)
    return project
