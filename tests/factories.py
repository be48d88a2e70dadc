"""Valid input for the services, to be varied by each test."""

from typing import Any


def deployment_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Caméras augmentées place Bellecour",
        "scope": "local",
        "status": "experimenting",
        "start_date": "2024-03",
        "end_date": "",
        "description": "Expérimentation de **vidéosurveillance algorithmique**.",
        "communes": ["69123"],
        "epcis": [],
        "technologies": ["vsa"],
        "vendors": ["Wintics"],
        "fundings": [{"funder": "FIPD", "amount_eur": "45000", "programme": ""}],
        "legal_events": [],
        "citations": [
            {
                "source": {
                    "title": "Délibération du conseil municipal",
                    "publisher": "Ville de Lyon",
                    "url": "https://example.org/deliberation-2024-03",
                    "published_on": "2024-03-12",
                },
                "quote": "Le conseil autorise l'expérimentation.",
                "locator": "p. 4",
                "accessed_on": "2024-04-01",
            }
        ],
    }
    data.update(overrides)
    return data
