"""The checks a notebook's check cells call, one ``check_*`` function per kind of exercise.

A check tests what the code *does* on small fixed inputs (a loss's value on fixed
logits, which variables one optimizer step moves, whether the same images get the same
verdict), never the text typed. It prints one line, ``[1.2] pass``, ``[1.2] not yet: why``
or ``[1.2] not done: ...`` (verdicts.py), and hands back the student's object when it
passes, else a working one, so that a blank or a mistake never stops the rest of the
lesson. A check adds no op to the lesson's graph and runs in a session of its own, so
the teacher's notebook trains exactly what it did without its checks.

base.py: what every check is built from; losses.py: checks of a loss; variables.py:
D's and G's variable lists and D's shared weights; steps.py: optimizer steps;
predict.py: "predict, then run" and the measurements it compares with.
"""
