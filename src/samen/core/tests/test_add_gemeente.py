"""A second municipality is added without code changes."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samen.core.models import Buurt, Gemeente, User, Wijk
from samen.core.services import geography

pytestmark = pytest.mark.django_db


def test_add_a_second_municipality_with_its_beheerder(tmp_path, capsys, hilversum):
    areas = tmp_path / "gm1942.csv"
    with areas.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["statcode", "level", "statnaam", "wijkcode", "gmcode"])
        writer.writerow(["WK194201", "wijk", "Bussum-Zuid", "WK194201", "GM1942"])
        writer.writerow(["BU19420101", "buurt", "Brediushof", "WK194201", "GM1942"])
    call_command("add_gemeente", "gm1942", "Gooise Meren", "--areas", str(areas), "--beheerder", "beheer-gm",
                 "--province", "Noord-Holland", "--public-host", "Samen.GooiseMeren.nl")
    output = capsys.readouterr().out
    gemeente = Gemeente.objects.get(code="GM1942")
    assert (gemeente.province, gemeente.public_host) == ("Noord-Holland", "samen.gooisemeren.nl")
    assert "https://samen.gooisemeren.nl/" in output
    assert Wijk.objects.filter(gemeente=gemeente).count() == 1
    assert Buurt.objects.filter(wijk__gemeente=gemeente).count() == 1
    user = User.objects.get(username="beheer-gm")
    assert user.gemeente == gemeente and user.role == "beheerder"
    password = output.split("one-time password: ")[1].strip()
    assert user.check_password(password)
    with pytest.raises(geography.UnknownAddress):
        geography.locate(gemeente, "1211AB", 12)


def test_a_bad_code_is_refused(tmp_path):
    areas = tmp_path / "x.csv"
    areas.write_text("statcode,level,statnaam,wijkcode,gmcode\n")
    with pytest.raises(CommandError, match="Invalid municipality"):
        call_command("add_gemeente", "XX12", "X", "--areas", str(areas))
    with pytest.raises(CommandError, match="no wijken"):
        call_command("add_gemeente", "GM1943", "Leeg", "--areas", str(areas))
    assert not Gemeente.objects.filter(code="GM1943").exists()


def test_a_public_host_is_a_host_name_and_belongs_to_one_municipality(tmp_path, hilversum):
    areas = tmp_path / "gm1942.csv"
    areas.write_text("statcode,level,statnaam,wijkcode,gmcode\nWK194201,wijk,Bussum-Zuid,WK194201,GM1942\n")
    with pytest.raises(CommandError, match="Invalid municipality"):
        call_command("add_gemeente", "GM1942", "Gooise Meren", "--areas", str(areas), "--public-host", "http://x/")
    Gemeente.objects.filter(pk=hilversum.pk).update(public_host="samen.hilversum.nl")
    with pytest.raises(CommandError, match="another municipality"):
        call_command("add_gemeente", "GM1942", "Gooise Meren", "--areas", str(areas),
                     "--public-host", "samen.hilversum.nl")
    assert not Gemeente.objects.filter(code="GM1942").exists()
