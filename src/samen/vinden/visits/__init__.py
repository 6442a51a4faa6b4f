"""The yearly 75+ home visits (vroegsignalering), part of the vinden app (docs/huisbezoeken.md)."""
