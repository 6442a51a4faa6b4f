"""Explained matching (ondersteunen, part "matching"): for one trajectory, the ranked activities,
interventions and volunteer roles of the catalogue that fit, each with why it fits and what does not.

* ``engine``: the pure ranking (no ORM; numpy columns), the factors and their Dutch sentences;
* ``candidates``: reading the catalogue's candidates in a few queries, kept per catalogue version;
* ``live``: the live counts (places taken, the local evidence), kept per version of the referrals (triggers);
* ``evidence``: the local evidence of an activity with the small-cell rule;
* ``service``: a trajectory's matches for a user (policy, access log): one SELECT and one INSERT when warm.
"""
