"""Step-by-step mode and the chain-rule inspector (issue 4): the article's iteration,
phase by phase, and one weight's gradient by the chain rule, with the user's numbers.

* :mod:`.phase_indicator` - the ``phaseIndicator`` label (its sentence and the network
  view's frames come from :mod:`gui.model.phase_frame`);
* :mod:`.sample_chooser` - step on one training sample or on the mini-batch;
* :mod:`.context` - which network, data and optimiser state a derivation uses;
* :mod:`.explain_runner` - ``engine.chainrule.explain`` in the GUI thread or on a worker;
* :mod:`.chain_rule_view` - the ``chainRuleView`` inspector; :mod:`.chain_rule_html` its
  body, :mod:`.wording` how it writes numbers and counts.
"""
