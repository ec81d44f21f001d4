"""A small project with known codings, to check every measure cell by cell.

Interview (Site A): Interviewer asks; Ann (school_staff) answers.
Focus group (Site B): Facilitator; Bea (school_staff), Cal (nhs_cypmhs), Dee (other_cypmhs).
Codebook: theme `t` with children `c1` and `c2`.
Codings (coder ana):
  #1 c1 on Ann's answer                  -> Ann
  #2 c1 on the interviewer's question    -> no one (interviewers excluded)
  #3 c2 spanning Bea's and Cal's turns   -> Bea and Cal (focus-group attribution)
  #4 c1 on Cal's turn                    -> Cal
  #5 c2 on Bea's second turn             -> Bea
"""

from __future__ import annotations

import pytest

from qual_coder import services
from qual_coder.storage import init_project

INTERVIEW = "Interviewer: What changed after the workshops?\nAnn: We refer directly now.\n"
GROUP = ("Facilitator: Tell me about referrals.\n"
         "Bea: Schools can refer directly.\n"
         "Cal: Yes, and we accept more of them.\n"
         "Dee: We were not in the room.\n"
         "Bea: And we stay involved after referral.\n")
MANIFEST = """file,kind,site,speaker,participant,stakeholder_type,role
interview.txt,interview,Site A,Interviewer,Interviewer,interviewer,
interview.txt,,,Ann,Ann,school_staff,School lead
group.txt,focus_group,Site B,Facilitator,Facilitator,interviewer,
group.txt,,,Bea,Bea,school_staff,SENCo
group.txt,,,Cal,Cal,nhs_cypmhs,CAMHS lead
group.txt,,,Dee,Dee,other_cypmhs,VCS lead
"""
CODEBOOK = """key: small
name: Small
codes:
  - key: t
    name: Theme
    codes:
      - {key: c1, name: Code one}
      - {key: c2, name: Code two}
"""


@pytest.fixture
def small(tmp_path):
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    (tmp_path / "group.txt").write_text(GROUP)
    (tmp_path / "manifest.csv").write_text(MANIFEST)
    (tmp_path / "small.yaml").write_text(CODEBOOK)
    project = init_project(tmp_path / "small.db")
    services.import_transcripts(project, [], manifest=tmp_path / "manifest.csv")
    services.load_codebook(project, tmp_path / "small.yaml")
    g = GROUP
    for transcript, code, quote in [
        ("interview", "c1", "We refer directly now."),
        ("interview", "c1", "What changed after the workshops?"),
        ("group", "c2", g[g.index("refer directly."):g.index("we accept")]),
        ("group", "c1", "Yes, and we accept more of them."),
        ("group", "c2", "And we stay involved after referral."),
    ]:
        services.add_coding(project, transcript, code, quote=quote, coder="ana")
    yield project
    project.close()
