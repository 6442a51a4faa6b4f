"""publiccode.yml follows the publiccode.yml standard v0.4 (https://yml.publiccode.tools), and LICENSE is
the EUPL-1.2 that pyproject.toml and publiccode.yml name.

The standard's own validator, publiccode-parser, is a Go tool and not available here (no Go toolchain,
no downloads), so the checks below are written from the standard's text: the mandatory keys, the allowed
values of developmentStatus, softwareType, maintenance type, categories and scope, the date format, and
the lengths of the descriptions.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                  "standalone/backend", "standalone/other", "addon", "library", "configurationFiles"}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
PLATFORMS = {"web", "windows", "mac", "linux", "ios", "android"}  # the standard's list is open; these are its
CATEGORIES = {
    "accounting", "agile-project-management", "applicant-tracking", "application-development",
    "appointment-scheduling", "backup", "billing-and-invoicing", "blog", "budgeting", "business-intelligence",
    "business-process-management", "cad", "call-center-management", "cloud-management", "collaboration",
    "communications", "compliance-management", "contact-management", "content-management", "crm",
    "customer-service-and-support", "data-analytics", "data-collection", "data-visualization",
    "digital-asset-management", "digital-citizenship", "document-management", "donor-management", "e-commerce",
    "e-signature", "email-management", "email-marketing", "employee-management", "enterprise-project-management",
    "enterprise-social-networking", "erp", "event-management", "facility-management",
    "feedback-and-reviews-management", "financial-reporting", "fleet-management", "fundraising", "gamification",
    "geographic-information-systems", "grant-management", "graphic-design", "help-desk", "hr", "ide",
    "instant-messaging", "inventory-management", "it-asset-management", "it-development", "it-management",
    "it-security", "it-service-management", "knowledge-management", "learning-management-system", "marketing",
    "mind-mapping", "mobile-marketing", "mobile-payment", "network-management", "office", "online-booking",
    "online-community", "payment-gateway", "payroll", "predictive-analysis", "procurement", "productivity-suite",
    "project-collaboration", "project-management", "property-management", "real-estate-management",
    "remote-support", "resource-management", "sales-management", "seo", "service-desk-software",
    "social-media-management", "survey", "talent-management", "task-management", "taxes-management",
    "test-management", "time-management", "time-tracking", "translation", "video-conferencing", "video-editing",
    "visitor-management", "voip", "warehouse-management", "web-collaboration", "web-conferencing",
    "website-builder", "workflow-management",
}
SCOPES = {"agriculture", "culture", "defence", "education", "emergency-services", "employment", "energy",
          "environment", "finance-and-economic-development", "foreign-affairs", "government", "healthcare",
          "infrastructures", "justice", "local-authorities", "manufacturing", "research", "science-and-technology",
          "security", "society", "sport", "tourism", "transportation", "welfare"}
MANDATORY = {"publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus", "softwareType",
             "description", "legal", "maintenance", "localisation"}
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # a BCP 47 tag
URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$")


def publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def problems(data: dict) -> list[str]:
    """Every way ``data`` breaks the standard (an empty list: it validates)."""
    found = [f"missing key {key}" for key in sorted(MANDATORY - set(data))]
    if not re.fullmatch(r"0\.4(\.\d+)?", str(data.get("publiccodeYmlVersion", ""))):
        found.append("publiccodeYmlVersion is not 0.4")
    if not isinstance(data.get("name"), str) or not data.get("name"):
        found.append("name is empty")
    if not URL.match(str(data.get("url", ""))):
        found.append("url is not a URL")
    if "softwareVersion" in data and "releaseDate" not in data:
        found.append("softwareVersion without releaseDate")
    if "releaseDate" in data:
        try:
            dt.date.fromisoformat(str(data["releaseDate"]))
        except ValueError:
            found.append("releaseDate is not YYYY-MM-DD")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data["releaseDate"])):
            found.append("releaseDate is not YYYY-MM-DD")
    if not data.get("platforms") or not set(data.get("platforms", [])) <= PLATFORMS:
        found.append("platforms empty or unknown")
    if not data.get("categories") or set(data.get("categories", [])) - CATEGORIES:
        found.append(f"unknown categories {sorted(set(data.get('categories', [])) - CATEGORIES)}")
    if data.get("developmentStatus") not in DEVELOPMENT_STATUS:
        found.append("developmentStatus not allowed")
    if data.get("softwareType") not in SOFTWARE_TYPES:
        found.append("softwareType not allowed")
    scope = (data.get("intendedAudience") or {}).get("scope", [])
    if set(scope) - SCOPES:
        found.append(f"unknown scope {sorted(set(scope) - SCOPES)}")
    found += _description_problems(data.get("description") or {})
    legal = data.get("legal") or {}
    if not legal.get("license"):
        found.append("legal.license missing")
    found += _maintenance_problems(data.get("maintenance") or {})
    localisation = data.get("localisation") or {}
    if not isinstance(localisation.get("localisationReady"), bool):
        found.append("localisation.localisationReady is not true/false")
    languages = localisation.get("availableLanguages") or []
    if not languages or not all(LANGUAGE.match(str(code)) for code in languages):
        found.append("localisation.availableLanguages empty or not BCP 47")
    for kind, items in (data.get("dependsOn") or {}).items():
        if kind not in {"open", "proprietary", "hardware"}:
            found.append(f"dependsOn.{kind} unknown")
        for item in items or []:
            if not item.get("name"):
                found.append(f"dependsOn.{kind} item without name")
            if set(item) - {"name", "versionMin", "versionMax", "version", "optional"}:
                found.append(f"dependsOn.{kind}.{item.get('name')} has unknown keys")
            if any(not isinstance(item[key], str) for key in ("versionMin", "versionMax", "version") if key in item):
                found.append(f"dependsOn.{kind}.{item.get('name')} version is not a string")
    return found


def _description_problems(description: dict) -> list[str]:
    if not description:
        return ["description has no language"]
    found = []
    for language, text in description.items():
        where = f"description.{language}"
        if not LANGUAGE.match(language):
            found.append(f"{where}: not a BCP 47 language")
        short, long = text.get("shortDescription", ""), text.get("longDescription", "")
        if not short or len(short) > 150:
            found.append(f"{where}.shortDescription missing or over 150 characters ({len(short)})")
        if not 150 <= len(long) <= 10000:
            found.append(f"{where}.longDescription not 150-10000 characters ({len(long)})")
        features = text.get("features") or []
        if not features or any(len(feature) > 100 for feature in features):
            found.append(f"{where}.features missing or a feature over 100 characters")
        for key in ("documentation", "apiDocumentation"):
            if key in text and not URL.match(text[key]):
                found.append(f"{where}.{key} is not a URL")
    return found


def _maintenance_problems(maintenance: dict) -> list[str]:
    kind = maintenance.get("type")
    if kind not in MAINTENANCE_TYPES:
        return ["maintenance.type not allowed"]
    if kind in {"internal", "community"} and not all(c.get("name") for c in maintenance.get("contacts") or [{}]):
        return ["maintenance.contacts (with a name) required for internal or community maintenance"]
    if kind == "contract" and not maintenance.get("contractors"):
        return ["maintenance.contractors required for contract maintenance"]
    return []


def test_publiccode_yml_follows_the_standard():
    assert problems(publiccode()) == []


def test_publiccode_yml_agrees_with_the_package():
    data, project = publiccode(), tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert data["softwareVersion"] == project["version"]
    assert data["legal"]["license"] == project["license"]["text"] == "EUPL-1.2"
    assert dt.date.fromisoformat(data["releaseDate"]) <= dt.date.today() + dt.timedelta(days=1)


def test_the_checks_catch_what_the_standard_forbids():
    data = publiccode()
    broken = {**data, "developmentStatus": "finished", "softwareType": "website", "releaseDate": "2-12-2026",
              "categories": ["loneliness"], "maintenance": {"type": "internal"}}
    broken["description"] = {"nl": {**data["description"]["nl"], "shortDescription": "x" * 151,
                                    "longDescription": "te kort"}}
    del broken["localisation"]
    found = problems(broken)
    for words in ("developmentStatus", "softwareType", "releaseDate", "categories", "maintenance.contacts",
                  "shortDescription", "longDescription", "missing key localisation"):
        assert any(words in problem for problem in found), words


def test_the_licence_is_the_full_eupl_1_2():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    for heading in ("1. Definitions", "2. Scope of the rights granted by the Licence",
                    "3. Communication of the Source Code", "4. Limitations on copyright",
                    "5. Obligations of the Licensee", "6. Chain of Authorship", "7. Disclaimer of Warranty",
                    "8. Disclaimer of Liability", "9. Additional agreements", "10. Acceptance of the Licence",
                    "11. Information to the public", "12. Termination of the Licence", "13. Miscellaneous",
                    "14. Jurisdiction", "15. Applicable Law", "Appendix"):
        assert f"\n{heading}\n" in text, heading
    assert "European Union Public Licence (EUPL) v. 1.1, v. 1.2" in text
