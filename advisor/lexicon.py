"""Colloquial phrases the graph's labels do not carry, mapped to graph resources by local name.

The graph is the source of every label and alias; these are the everyday ways people *refer* to a
stage ("初三", "grade 9", "考大学", "university") that are not names of the stage itself. A
phrase is used only when its target exists in the loaded graph, and never overrides a graph alias.
Keys are normalised (simplified, lower case); English keys are matched as whole words.
"""

from __future__ import annotations

# phrase -> local names (rtd:) it refers to, first = preferred
COLLOQUIAL: dict[str, tuple[str, ...]] = {
    # junior secondary
    "初三": ("stage-junior-secondary",),
    "初二": ("stage-junior-secondary",),
    "初一": ("stage-junior-secondary",),
    "九年级": ("stage-junior-secondary",),
    "八年级": ("stage-junior-secondary",),
    "初中生": ("stage-junior-secondary",),
    "初中毕业": ("stage-junior-secondary",),
    "中考后": ("stage-junior-secondary",),
    "grade 9": ("stage-junior-secondary",),
    "grade 8": ("stage-junior-secondary",),
    "ninth grade": ("stage-junior-secondary",),
    "9th grade": ("stage-junior-secondary",),
    "year 9": ("stage-junior-secondary",),
    "middle school": ("stage-junior-secondary",),
    "junior high": ("stage-junior-secondary",),
    "junior high school": ("stage-junior-secondary",),
    "lower secondary": ("stage-junior-secondary",),
    # general senior high
    "高一": ("stage-general-senior",),
    "高二": ("stage-general-senior",),
    "高三": ("stage-general-senior",),
    "高中生": ("stage-general-senior",),
    "high school student": ("stage-general-senior",),
    "senior high": ("stage-general-senior",),
    "grade 10": ("stage-general-senior",),
    "grade 11": ("stage-general-senior",),
    "grade 12": ("stage-general-senior",),
    # higher education, colloquially
    "大学": ("stage-bachelor",),
    "上大学": ("stage-bachelor",),
    "考大学": ("stage-bachelor",),
    "读大学": ("stage-bachelor",),
    "university": ("stage-bachelor",),
    "undergraduate degree": ("stage-bachelor",),
    "bachelor": ("stage-bachelor",),
    "bachelor degree": ("stage-bachelor",),
    "bachelor's degree": ("stage-bachelor",),
    "学士": ("stage-bachelor",),
    "研究生": ("stage-master",),
    "读研": ("mech-postgraduate-exam", "stage-master"),
    "考研": ("mech-postgraduate-exam",),
    "硕士": ("stage-master",),
    "master": ("stage-master",),
    "master's degree": ("stage-master",),
    "master degree": ("stage-master",),
    "postgraduate": ("stage-master",),
    "博士": ("stage-doctorate",),
    "phd": ("stage-doctorate",),
    "doctorate": ("stage-doctorate",),
    "doctoral": ("stage-doctorate",),
    # integrated programmes said short
    "five-year program": ("mech-five-year",),
    "five-year programme": ("mech-five-year",),
    "five year program": ("mech-five-year",),
    "five year programme": ("mech-five-year",),
    "五年制": ("mech-five-year",),
    # track nicknames not always in the graph
    "职校": ("stage-secondary-vocational",),
    "职业学校": ("stage-secondary-vocational",),
    "vocational school": ("stage-secondary-vocational",),
    "trade school": ("stage-secondary-vocational",),
    "technical school": ("stage-secondary-vocational",),
    "高职院校": ("stage-higher-vocational",),
    "职业技术学院": ("stage-higher-vocational",),
    "vocational college": ("stage-higher-vocational",),
    "junior college": ("stage-higher-vocational",),
    "associate degree": ("stage-higher-vocational",),
    "普高": ("stage-general-senior",),
    "普通高中": ("stage-general-senior",),
    "academic high school": ("stage-general-senior",),
    "general high school": ("stage-general-senior",),
    "职业本科": ("stage-vocational-bachelor",),
    "vocational bachelor": ("stage-vocational-bachelor",),
    "vocational undergraduate": ("stage-vocational-bachelor",),
}

# Grade words that say where a learner is (profile), checked with the stage they name.
GRADE_HINTS = ("年级", "grade", "year")
