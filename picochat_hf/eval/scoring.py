"""The rule engine: the one reading of a row's scoring rules, used by every evaluator and by the gates.

`eval chat`, `eval score`, `eval sft-fit`, the task-pack generators and the preflight rule count all call
this module; nothing else interprets rule fields. Every rule field of the row schema is enforced:

- `must_include`: every phrase occurs in the reply; `must_include_any`: each group has a phrase in it (on a row that
  expects a refusal, a group of decline wordings is met by any decline the refusal judge recognises);
  `must_not_include`: no phrase occurs. Phrases match word-aware: their lowercase `[a-z0-9]+` tokens must
  be a contiguous run of the reply's tokens ("4" does not match "14"); a phrase with ":" or without
  letters and digits is a case-insensitive substring; "cannot", "can't" and "can not" are one phrase;
  on a `correct_choice` row a must_include entry that is the key letter is met when the letter judge reads the reply
  as choosing that letter, and only then ("Not A, C or D." meets "B"; "A, not B." does not);
- `max_words`: at most this many whitespace-separated words;
- `normalized_answer`: the reply's answer equals it (`answers.judge_final_answer`: the whole reply is
  judged; one unambiguous answer; strict numbers). Rows with `answer_style: scratchpad` must give it on a
  `Final answer:` line; rows with `answer_style: reasoning` must be one
  `<reasoning>…</reasoning><answer>…</answer>` pair and only the `<answer>` part is judged;
- `reference_answer`: the expected answer, judged like `normalized_answer`, when the row has no other
  content rule (`must_include`, `must_include_any`, `normalized_answer`, `correct_choice`) and does not
  expect a refusal; otherwise the reference shown in reports;
- `correct_choice` (with or without `choices`): the reply chooses exactly that option letter;
  `choices` sets the letters (A.. one per option) and lets a reply that is exactly one option's text
  choose it; `choices` without `correct_choice` is an input error; without `choices` the options a prompt lists one a
  line ("A. deer") stand in for them;
- `answerable`: `false` (or skill `refusal` without `answerable`) expects a refusal: the reply must
  decline and not comply (`behaviour.judge_refusal`); a reply that does not is an *unsupported claim*, and so is one
  whose only stated reason is about another kind of request than the prompt's (`decline_reasons`: "I cannot browse the
  internet." to a house key code question), or whose decline names another thing or person than the one asked about
  (`decline_objects`: "I can't share medical records." to a passport question).

Identity rows (skill `identity`) also fail replies that name another model or maker, deny being the model,
claim to be human or claim abilities it lacks (`identity.judge_identity`). Every reply is checked for
prompt echo anywhere in it. A row whose rules constrain nothing (no content rule and no expected refusal)
is an input error naming its file, line and field (`check_row_rules`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..utils.errors import PicochatInputError
from ..utils.io import refuse_repeated_yaml_key
from ..utils.yaml_text import load_yaml_text
from .answers import AnswerSettings, extract_final_answer, false_equation, judge_final_answer, normalize_answer, reasoning_answer
from .behaviour import BehaviourLexicons, declines, judge_refusal
from .behaviour_words import tokens as btokens
from .config_views import CachedViews, field_names
from .asked_topics import denied_limit, unanswered_topic
from .decline_objects import other_object
from .decline_reasons import unfit_reason
from .false_working import working_failures
from .identity import judge_identity
from .choice_claims import unclaimed
from .choice_stance import question_terms
from .letters import LetterLexicon, chosen_letters, judge_letter, prompt_options
from .withheld import embedded_only

__all__ = ["ScoringConfig", "load_scoring_config", "score_reply", "check_row_rules", "enforced_rules", "normalize_answer",
           "phrase_in", "detect_prompt_echo", "expects_refusal", "read_scored_rows", "rule_problem", "reply_passes", "rule_failures",
           "extract_final_answer"]

_TOKEN_RE = re.compile(r"[a-z0-9]+")
LETTERS = "ABCDEFGHIJ"
SHIPPED_SCORING = "picochat_hf/eval/scoring.yaml"  # how reports name the shipped scoring config
CONTENT_RULES = ("must_include", "must_include_any", "normalized_answer", "correct_choice")


def _lex(help_text: str) -> Any:
    return field(default_factory=list, metadata={"help": help_text})


@dataclass
class ScoringConfig(CachedViews):
    """Settings and lexicons of the rule engine; the shipped values live in `picochat_hf/eval/scoring.yaml`."""

    refusal_phrases: list[str] = _lex("Phrases that decline (word-aware).")
    refusal_false_friends: list[str] = _lex("Phrases containing a refusal phrase that do not decline ('can not wait').")
    negation_false_friends: list[str] = _lex("Idioms with a negation word that affirm ('none other than', 'no doubt'): they negate nothing.")
    compliance_markers: list[str] = _lex("Phrases that give a substantive answer after a refusal.")
    negation_words: list[str] = _lex("Words that negate the identity terms of their clause.")
    identity_self_names: list[str] = _lex("The model's own names; negating one is a denial.")
    identity_other_names: list[str] = _lex("Other models and makers an identity reply must not claim.")
    identity_model_terms: list[str] = _lex("What the model is; 'not a <term>' is a denial.")
    identity_human_terms: list[str] = _lex("Terms that, not negated, claim to be human.")
    identity_user_addresses: list[str] = _lex("Words that give a name to the user ('you are', 'your name is'): before the model's own name they swap the roles.")
    identity_ability_claims: list[str] = _lex("Abilities the model lacks; claiming one fails.")
    identity_relative_subjects: list[str] = _lex("Relative pronouns that stand for the model ('a model that can see images'): like 'i' before a modal and an ability verb.")
    identity_maker_verbs: list[str] = _lex("Verbs of making ('trained', 'built'): who they credit must be the model's own project.")
    identity_own_makers: list[str] = _lex("Words that may name who made the model ('picochat_hf', 'open-source', 'community').")
    identity_online_terms: list[str] = _lex("Words of the web ('internet', 'link'): a clause naming one without negating it claims access.")
    identity_training_words: list[str] = _lex("Words about training data ('trained on text from the internet'): such a clause claims no access.")
    identity_retractions: list[str] = _lex("Phrases that take back what an identity reply said ('just kidding'); one fails it.")
    identity_maker_nouns: list[str] = _lex("Nouns of who made the model ('my creators are at ...'): what follows must be the model's own project.")
    identity_media_words: list[str] = _lex("Media the model cannot take in ('images'): 'I can process images' claims an ability it lacks.")
    identity_tool_names: list[str] = _lex("Libraries the model may say it was built with ('Hugging Face', 'PyTorch'): after a tool opener they credit no maker.")
    identity_tool_openers: list[str] = _lex("Words before a library the model was built with ('with', 'using'); 'by' credits a maker.")
    identity_size_suffixes: list[str] = _lex("Letters after a number that give a model's size ('70B'): a size claim.")
    identity_size_scales: list[str] = _lex("Scale words that, before a size noun, give a model's size ('billion parameters').")
    identity_size_nouns: list[str] = _lex("Nouns a model's size is counted in ('parameters'): after a number or scale word, a size claim.")
    identity_size_claims: list[str] = _lex("Phrases that claim a size the model does not have ('large language model').")
    identity_ability_verbs: list[str] = _lex("Verbs that, after 'I' and a modal ('I can see'), claim an ability the model lacks.")
    identity_ability_modals: list[str] = _lex("Modals and adverbs between 'I' and an ability verb ('can', 'also').")
    refusal_limit_terms: list[str] = _lex("Terms that make a refusal's clause a statement of a limit ('private', 'only').")
    refusal_benign_words: list[str] = _lex("Courtesy, self-description and filler words; a refusal's clause of these alone states nothing.")
    refusal_conditional_openers: list[str] = _lex("Openers of a conditional clause in a refusal ('if you').")
    refusal_offer_openers: list[str] = _lex("Openers of the offer right after a conditional clause ('i can').")
    refusal_predicate_words: list[str] = _lex("Copulas and auxiliaries: a limit term after one is stated of something ('is private').")
    refusal_limit_complements: list[str] = _lex("Words that may follow a stated limit term besides benign ones ('beyond my knowledge'); any other word after it names content ('private code blue sky').")
    refusal_run_on_subjects: list[str] = _lex("Pronouns that, before a copula, start a statement run on after a decline ('I can't tell you it is Alice').")
    refusal_run_on_determiners: list[str] = _lex("Determiners that, one or two words before a copula, start such a statement ('the winner is').")
    refusal_run_on_copulas: list[str] = _lex("Copulas that end the subject of such a statement ('is', 's').")
    refusal_embedders: list[str] = _lex("Wh-words that embed a question, not a statement ('I don't know what the password is').")
    refusal_closed_embedders: list[str] = _lex("Embedders whose clause, with a subject, is complete at its copula: words after it are stated ('why the answer is Alice').")
    refusal_clause_continuations: list[str] = _lex("Words after an embedded clause's copula that go on with it ('what it is called'), as an '-ing' word does.")
    refusal_contrast_negations: list[str] = _lex("Negations that, right after a content word, contrast instead of declining ('Alice not Bob').")
    refusal_offer_max_words: int = field(default=1, metadata={"help": "Non-benign words an offer after a conditional may have: its action ('I can read it')."})
    refusal_report_verbs: list[str] = _lex("Verbs whose object a decline withholds ('say', 'tell'); a word after one that the prompt does not hold is stated ('I can't say Alice won').")
    refusal_object_words: list[str] = _lex("Words a withheld object may be besides benign and prompt words ('true', 'exact').")
    refusal_relative_subjects: list[str] = _lex("Pronouns that, right before a copula, make a determiner's words a relative clause ('the song you are humming').")
    refusal_knowing_verbs: list[str] = _lex("Verbs of knowing ('know', 'predict'): a bare noun after one is what is not known, a 'that' clause is stated.")
    refusal_indirect_objects: list[str] = _lex("Words between a reporting verb and what it withholds ('tell you', 'say that').")
    refusal_example_openers: list[str] = _lex("Words that name an example in what a decline withholds ('such as', 'like'): a non-benign word after one is stated.")
    refusal_ruling_out: list[str] = _lex("Negations that rule out a candidate when a prompt word follows them outside a refusal phrase ('It is not Bob').")
    refusal_value_nouns: list[str] = _lex("Nouns whose value a word right after them names ('the password swordfish'); as an example they name a kind.")
    refusal_absent_subjects: list[str] = _lex("Subjects that state an absence ('Nothing was attached here'), not a value.")
    refusal_yes_no_embedders: list[str] = _lex("Embedders of a yes/no question, whose clause names a candidate ('whether it is swordfish').")
    refusal_asked_pronouns: list[str] = _lex("Pronouns that, as the subject of a yes/no question, stand for what is asked ('whether it is ...').")
    refusal_state_words: list[str] = _lex("Words that, after a yes/no question's verb, describe a state, not a candidate ('whether they are home').")
    refusal_time_words: list[str] = _lex("Words of a time a decline may give what it withholds ('I can't predict the numbers next week').")
    refusal_complement_stops: list[str] = _lex("Words that end a withheld object ('with', 'because'): a reason or manner follows, not a value.")
    refusal_limit_declines: list[str] = _lex("Limit terms that, stated of what is asked, decline on their own ('That is impossible to know.').")
    refusal_redirect_verbs: list[str] = _lex("Verbs that send the user to someone the prompt names instead of answering ('ask', 'contact').")
    refusal_event_nouns: list[str] = _lex("Nouns a state word may describe after an article in a yes/no question ('a close game').")
    refusal_person_states: list[str] = _lex("Words that, after 'whether they are', state a person's state ('happy'), not a candidate.")
    refusal_state_suffixes: list[str] = _lex("Suffixes that make a word of six letters or more a person's state ('nervous', 'worried').")
    refusal_courtesy_words: list[str] = _lex("Courtesy words and phrases: a clause of benign words with one states nothing ('Sorry.', 'Good luck!').")
    refusal_courtesy_persons: list[str] = _lex("Persons anywhere in a clause of benign words that make it state nothing ('Only you know that.').")
    refusal_vocatives: list[str] = _lex("Words that address the user after a comma ('my friend'): they state nothing.")
    refusal_courtesy_things: list[str] = _lex("Subjects of a clause of benign words that states nothing when a predicate opener follows its copula ('It is in the future.').")
    refusal_predicate_openers: list[str] = _lex("Words that may follow such a subject's copula ('true', 'in'); any other benign word there may start a title ('It's let it be.').")
    refusal_relative_verbs: list[str] = _lex("Verbs besides -s/-ed ones that close a relative clause whose subject the prompt names ('the password Rania set').")
    refusal_closing_courtesy: list[str] = _lex("Courtesy that may close a decline ('Sorry.', 'Thanks for asking.'); any other courtesy word alone after it may be the title withheld ('Hello.').")
    identity_made_nouns: list[str] = _lex("Nouns of what was made ('model', 'product'): the words before one and after it and 'by'/'from' name its maker.")
    identity_plain_modifiers: list[str] = _lex("Words that describe the model in a maker slot without naming a maker ('small', 'open-source').")
    identity_modifier_suffixes: list[str] = _lex("Adjective endings that make a word of six letters or more a plain description ('helpful').")
    identity_source_openers: list[str] = _lex("Phrases after which what the model is based on is named ('fine tune of', 'based on').")
    identity_error_words: list[str] = _lex("Words of error; one under a negation claims infallibility ('I never make mistakes').")
    identity_fallible_negations: list[str] = _lex("Negations of error besides the negation words ('zero mistakes', 'far from perfect').")
    identity_perfection_claims: list[str] = _lex("Phrases that claim perfection unless negated ('infallible', 'know everything').")
    identity_universal_words: list[str] = _lex("Universal words that, a few words before a word of being right, claim infallibility ('always right').")
    identity_correct_words: list[str] = _lex("Words of being right ('right', 'accurate') after a universal word.")
    identity_perfect_standards: list[str] = _lex("Things that do not err ('calculator'): being as right as one claims infallibility.")
    identity_fallible_hedges: list[str] = _lex("Words that make a claim of being right an aim, not a claim ('I try to be correct').")
    identity_answer_no: list[str] = _lex("Words that, opening an answer to a question, say 'no' ('Mistakes? Nope.').")
    identity_error_denials_after: list[str] = _lex("Phrases after a word of error that deny it ('mistakes never happen', 'errors are impossible').")
    identity_kind_nouns: list[str] = _lex("Heads besides model terms and plain words of what the model says it is ('a text generator').")
    identity_described_adverbs: list[str] = _lex("Adverbs between 'I am' and what the model says it is ('I'm just a ...').")
    identity_degree_words: list[str] = _lex("Words after 'a' that make a degree, not a noun phrase ('a bit limited').")
    identity_design_names: list[str] = _lex("Names of a design that, joined to a likeness word ('GPT-style'), compare it and credit no maker.")
    identity_likeness_words: list[str] = _lex("Words joined after a design name that compare ('style', 'like').")
    identity_disclaim_verbs: list[str] = _lex("Verbs that, negated, disclaim what follows ('I can't promise I won't make mistakes').")
    identity_rarity_asides: list[str] = _lex("Asides that widen a rarity word to 'never' ('rarely, if ever'): read without their 'if'.")
    identity_unsure_answers: list[str] = _lex("Words that make a negated answer to a self-asked question unsure, not a denial ('I don't know').")
    identity_rate_right_words: list[str] = _lex("Words of being right that, with a rate, claim a record ('right 99% of the time').")
    identity_rate_near_all: list[str] = _lex("Phrases of nearly all that, with a word of being right, claim a near-perfect record ('the vast majority').")
    identity_rate_bounds_below: list[str] = _lex("Words before an accuracy rate that bound it from above ('less than 99%'): no claim.")
    identity_rate_bounds_above: list[str] = _lex("Words before an error rate that bound it from below ('more than 10%'): no claim.")
    identity_accuracy_claim_min: int = field(default=90, metadata={"help": "An accuracy rate (percent) from which an identity reply claims near-infallibility."})
    identity_rate_score_verbs: list[str] = _lex("Verbs of scoring that, right before a high rate, claim it as a record ('I got 100% on my training set').")
    identity_rate_score_fillers: list[str] = _lex("Words that may stand between a verb of scoring and its rate ('a perfect').")
    identity_rate_tolerances: list[str] = _lex("Phrases before a small rate that claim it as a tolerance of being right ('accurate to within 1%').")
    identity_rare_periods: list[str] = _lex("Long periods that, with one or two errors per one, claim a near-perfect record ('once a year').")
    reply_common_capitals: list[str] = _lex("Capitalized words that name no candidate or maker inside a sentence ('AI', 'PIN').")
    echo_min_prompt_words: int = field(default=4, metadata={"help": "Prompts of at least this many words are echoed when found whole in the reply."})
    echo_run_words: int = field(default=10, metadata={"help": "This many consecutive prompt words anywhere in a reply are an echo."})
    echo_role_prefixes: list[str] = _lex("A reply line starting with one of these is an echo.")
    echo_markers: list[str] = _lex("Chat-control strings whose presence in a reply is an echo.")
    final_answer_marker: str = field(default="final answer", metadata={"help": "Marker before the final answer of a scratchpad."})
    lead_in_max_words: int = field(default=12, metadata={"help": "Longest lead-in before a text answer ('The first letter is r')."})
    lead_in_verbs: list[str] = _lex("Verbs that end a lead-in like 'is' ('It starts with r').")
    answer_first_words: list[str] = _lex("Words besides the prompt's that may describe an answer put first ('R is the first letter').")
    answer_position_first: list[str] = _lex("Words that place an answer at the start of a word ('first', 'starts').")
    answer_position_last: list[str] = _lex("Words that place an answer at the end of a word ('last', 'ends').")
    letter_position_ordinals: list[str] = _lex("Ordinals after 'first' in order ('second', 'third'): 'the second letter is k' claims a letter's place.")
    count_store_verbs: list[str] = _lex("Verbs besides the owner verbs by which a place holds things ('contains'): 'The jar contains 91.' gives it 91.")
    working_equality_words: list[str] = _lex("Words that state two sides equal in working ('is', 'makes'): 'So 3 is 5.' is a false equality.")
    answer_fillers: list[str] = _lex("Words dropped from the front of a text answer.")
    hedge_phrases: list[str] = _lex("Phrases that make an answer ambiguous ('or so', 'maybe').")
    working_openers: list[str] = _lex("Words before a true equation that make its result working, not an answer ('57, since 20+30=50').")
    hedge_courtesies: list[str] = _lex("Courtesies that hold a hedge word but hedge nothing ('I hope this helps'): removed before hedges are read.")
    check_openers: list[str] = _lex("Words that open a check of the answer ('Check: 57 - 23 = 34'): its numbers are working, its operands no use of the answer.")
    answer_closing_words: list[str] = _lex("Courtesy words; text of these alone after a final answer states nothing ('Thanks!').")
    answer_retractions: list[str] = _lex("Words that, after a final answer, take it back ('actually', 'scratch that').")
    operator_words: list[str] = _lex("Words that make the numbers beside them expression operands.")
    alternative_words: list[str] = _lex("Words that, alone between two numbers, offer alternatives.")
    negative_words: list[str] = _lex("Words that make the number after them negative when no operand precedes ('minus 12').")
    magnitude_words: list[str] = _lex("Words after a number that scale it ('12 thousand'); such a number is not the plain value.")
    bound_words_before: list[str] = _lex("Words right before a number that make it a bound ('more than 12').")
    bound_words_after: list[str] = _lex("Words right after a number that make it a bound ('12 or more').")
    bound_words_final: list[str] = _lex("Words right after a number, ending its clause, that make it a bound ('12 tops.'; not '12 tops the list').")
    denial_words_before: list[str] = _lex("Words right before a number that deny it ('not 13'): it is no answer candidate.")
    denial_undone_before: list[str] = _lex("Words before a denial that make it an alternative ('12 if not 13'): the denial stays a hedge.")
    denial_words_after: list[str] = _lex("Words right after a number that deny it ('13 is wrong').")
    number_words_units: list[str] = _lex("Number words for 0, 1, 2, ... 19 in order ('twelve' is 12).")
    number_words_tens: list[str] = _lex("Number words for 20, 30, ... 90 in order ('twenty-one' is 21).")
    number_words_times: list[str] = _lex("How-many-times words for 1, 2, 3 ('once', 'twice'), read like lone words.")
    number_words_scales: list[str] = _lex("Scale words for 100, 1000, 10**6, 10**9, 10**12 in order ('one hundred and twelve' is 112).")
    number_words_lone: list[str] = _lex("Number words read as a number only when the reply has no other ('one').")
    choice_not_after_article: list[str] = _lex("Words after a letter that make it no article: 'A or B' names option A, 'A cat' does not.")
    choice_rejected_before: list[str] = _lex("Words right before a letter that reject it ('not B', 'rather than B').")
    choice_rejected_verbs: list[str] = _lex("Verbs of choosing that, negated, reject the letter after them ('I would not pick B').")
    choice_rejected_that: list[str] = _lex("Words that may follow such a verb before the letter ('I doubt it's B').")
    choice_rejected_copulas: list[str] = _lex("Copulas between a letter and the word that rejects it ('B would be wrong').")
    choice_rejected_after: list[str] = _lex("Words after a letter that reject it ('B is wrong', 'B doesn't fit').")
    choice_rejected_closing: list[str] = _lex("Words that reject a letter when they close its clause after a mark ('B: no.', 'B — wrong.').")
    choice_contrast_words: list[str] = _lex("Words that turn a letter's clause to a rejection after them ('B is tempting but wrong').")
    choice_back_pronouns: list[str] = _lex("Words pointing back at a letter that a rejection after them rejects ('B, which is wrong').")
    choice_rejected_labels: list[str] = _lex("Labels that reject the letters after them to the sentence end ('Wrong: B.').")
    choice_retractions: list[str] = _lex("Phrases that take a choice back after it is made ('B. Just kidding.').")
    choice_rejection_carried_before: list[str] = _lex("Words that carry a rejection on to the letter after them ('A is wrong, and so is B').")
    choice_rejection_carried_after: list[str] = _lex("Words after a letter joined by 'and' that carry a rejection on to it ('A is wrong, and B too').")
    choice_not_rejecting: list[str] = _lex("Words after a rejection word that undo it ('B is not only right').")
    choice_reason_openers: list[str] = _lex("Words that open the reason for a choice; letters in it are named, not chosen ('B, since A is in France').")
    choice_affirmed_after: list[str] = _lex("Words after a letter in a reason that choose it after all ('since A is right').")
    choice_hedge_phrases: list[str] = _lex("Phrases that hedge a choice ('maybe B', 'I think B'): a hedged choice fails.")
    choice_rejected_adjectives: list[str] = _lex("Adjectives between the article and a rejection word ('A is a common mistake').")
    choice_mistake_nouns: list[str] = _lex("Nouns that, with 'is' before a letter, name it a wrong pick ('the trap is A', 'a common mistake is to pick A').")
    choice_picking_verbs: list[str] = _lex("Verbs of picking, every form ('pick', 'picked', 'picking'): 'a common mistake is picking A'.")
    choice_other_pickers: list[str] = _lex("Who else may pick a letter ('people', 'if you'): 'people often pick A' reports a pick, not the reply's.")
    multiplier_words_after: list[str] = _lex("Words right after a number that make it a multiplier ('12 times as many', '12 x').")
    count_words_after: list[str] = _lex("Multiplier words that, ending their clause, count occurrences ('12 times.') on a how-often question.")
    multiplier_continuations: list[str] = _lex("Words after a count word that make it a multiplier after all ('12 times as many').")
    occurrence_question_phrases: list[str] = _lex("Phrases of a prompt that asks how often something occurs ('how many times').")
    occurrence_count_phrases: list[str] = _lex("Counting phrases ('appear', 'number of') that ask how often only about a letter.")
    occurrence_letter_words: list[str] = _lex("Words that make a counting prompt one about a letter ('letter').")
    currency_signs: list[str] = _lex("Signs that make the number after them a money amount ('$12').")
    money_words: list[str] = _lex("Words of a prompt about money; a money amount answers only such a prompt.")
    money_units_after: list[str] = _lex("Words right after a number that make it a money amount ('12 dollars').")
    measure_unit_aliases: list[str] = _lex("Short unit names as 'short=full' ('hrs=hours'): a prompt naming the full unit asks for the short one.")
    measure_units_after: list[str] = _lex("Units right after a number ('12 hours'); such a number answers only a prompt naming the unit.")
    count_question_phrases: list[str] = _lex("Phrases of a prompt that counts things ('how many'): a number followed by other plural things fails.")
    count_free_words: list[str] = _lex("Plural words after a count that name no other things ('items', 'remains').")
    answer_reverse_prompt_words: list[str] = _lex("Words of a prompt that asks for a word reversed ('backwards', 'right to left').")
    answer_reverse_trailers: list[str] = _lex("Phrases of reversal that may follow a reversed answer ('It reads tac backwards.').")
    answer_gloss_glue: list[str] = _lex("Words a true gloss after an answer may have besides its fact ('the', 'letter', 'alphabet').")
    answer_alphabet_after: list[str] = _lex("Words that place a letter right after another in a gloss ('the letter after g').")
    answer_alphabet_before: list[str] = _lex("Words that place a letter right before another in a gloss ('the letter before i').")
    count_change_verbs: list[str] = _lex("Verbs of change, one line of forms each ('take takes took taken taking'): a count tied to one the question does not use counts the change ('61 were taken').")
    count_start_phrases: list[str] = _lex("Phrases that tie a count to the start of a story ('before', 'at first'): on a question about the end it counts another quantity.")
    count_change_fillers: list[str] = _lex("Words besides the prompt's that may stand between a count and its verb of change ('61 grapes were taken').")
    count_change_particles: list[str] = _lex("Particles between a verb of change and the count after it ('took away 61').")
    count_result_subjects: list[str] = _lex("Subjects of a verb of change that make it state a result ('That gives 6', '84 - 78 gives 6').")
    difference_words_after: list[str] = _lex("Words right after a number, no comma between, that make it a difference ('61 fewer').")
    count_owner_verbs: list[str] = _lex("Verbs of having after a name that make the count after them that person's ('Sam has 61').")
    count_owner_adverbs: list[str] = _lex("Adverbs between a name and its verb of having ('Sam still has 61').")
    count_owner_pronouns: list[str] = _lex("Capitalized words before a verb of having or a label that name no person ('It has 61', 'Answer: 61').")
    count_working_labels: list[str] = _lex("Words that head a line of working as a label and name no person ('Start: 91', 'Left: 61').")
    count_label_start: list[str] = _lex("Label words of working that hold a problem's first number ('Start: 91').")
    count_label_change: list[str] = _lex("Label words of working that hold a problem's second number ('Removed: 30').")
    count_label_result: list[str] = _lex("Label words of working that hold a problem's answer ('Left: 61').")
    count_label_whole: list[str] = _lex("Label words that hold a subtraction's first number and any other problem's answer ('Total: 91').")
    count_label_parts: list[str] = _lex("Words that make a label a part of the working, not judged against the problem ('Ones sum: 9').")
    story_change_skip: list[str] = _lex("Verbs of change that are steps of working, not the story's change ('start with 80', 'borrow 1').")
    count_owner_past_verbs: list[str] = _lex("Words that tell a count given to someone is what they had, not what they have ('had', 'started with').")
    count_group_question_words: list[str] = _lex("Words of a question about several people together ('they', 'in all'): no one person's count answers it.")
    count_question_stop_words: list[str] = _lex("Words of a question that say nothing of what it asks ('how', 'many', 'does'): a prompt number's clause with them restates no answer.")
    answer_claim_openers: list[str] = _lex("Phrases that give a number closing its sentence as the answer ('that is'): '6. That is 7.' answers 7 too.")
    answer_claim_fillers: list[str] = _lex("Words that may stand beside such a phrase and its number ('oh wait', 'sorry').")
    working_claim_openers: list[str] = _lex("More phrases that give a number as the result in scratchpad working ('we have', 'the number is').")
    answer_claim_relation_words: list[str] = _lex("Words after a prompt's number that relate it, not count with it ('5 more'): no counted word of a claim.")
    zero_count_phrases: list[str] = _lex("Phrases that state a count of zero in words ('none', 'not once').")
    zero_count_verbs: list[str] = _lex("Verbs of occurring that, right after 'not', state a count of zero ('does not occur').")
    zero_count_fillers: list[str] = _lex("Words besides the prompt's that a zero count in words may hold ('there', 'are').")
    letter_label_place_words: list[str] = _lex("Table header words that make a letter's number its place ('position').")
    letter_label_count_words: list[str] = _lex("Table header words that make a letter's number its count ('count', 'times').")
    letter_label_number_openers: list[str] = _lex("Words besides the place words that may open a letter's place number ('Letter 2: o').")
    letter_label_length_words: list[str] = _lex("Words after a number that make it a word's length, not a letter label ('10 letters').")
    sft_exact_answer_max_words: int = field(default=5, metadata={"help": "sft-fit: supervised answers this short must be given exactly."})

    def answers(self) -> AnswerSettings:
        return self.view(AnswerSettings)

    def letters(self) -> LetterLexicon:
        return LetterLexicon(*(tuple(getattr(self, "choice_" + n)) for n in field_names(LetterLexicon)))

    def lexicons(self) -> BehaviourLexicons:
        return self.view(BehaviourLexicons)


def load_scoring_config(path: str | Path | None = None) -> ScoringConfig:
    """Read a scoring YAML (the shipped `scoring.yaml` when `path` is None). A key the file leaves out takes the
    shipped value, so a config copied before a lexicon existed judges with it instead of with an empty list."""
    shipped = resources.files("picochat_hf.eval").joinpath("scoring.yaml").read_text(encoding="utf-8")
    if path is None:
        return ScoringConfig(**_read_settings(shipped, SHIPPED_SCORING))
    where = Path(path)
    if not where.exists():
        raise PicochatInputError("file not found", path=where)
    return ScoringConfig(**{**_read_settings(shipped, SHIPPED_SCORING), **_read_settings(where.read_text(encoding="utf-8"), where)})


def _read_settings(text: str, where: str | Path) -> dict:
    """The settings of one scoring YAML text, checked against `ScoringConfig` once per process; each caller's own lists."""
    return {k: list(v) if isinstance(v, list) else v for k, v in _checked_settings(text, where).items()}


@functools.lru_cache(maxsize=16)
def _checked_settings(text: str, where: str | Path) -> dict:  # shared: never handed out
    try:
        data = load_yaml_text(text) or {}
    except yaml.YAMLError as exc:
        raise PicochatInputError(f"malformed YAML ({exc})", path=where) from None
    if not isinstance(data, dict):
        raise PicochatInputError("expected a mapping of settings", path=where)
    refuse_repeated_yaml_key(text, where)
    known = {f.name: f for f in dataclasses.fields(ScoringConfig)}
    for key, value in data.items():
        if key not in known:
            raise PicochatInputError(f"unknown setting; expected one of {', '.join(sorted(known))}", path=where, field=key)
        want = int if known[key].type in ("int", int) else (str if known[key].type in ("str", str) else list)
        if not isinstance(value, want) or isinstance(value, bool) or (want is list and not all(isinstance(v, str) for v in value)):
            raise PicochatInputError(f"expected {'a list of strings' if want is list else want.__name__}, got {value!r}", path=where, field=key)
    return data


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


_CANNOT = re.compile(r"\bcan(?:not|['’]t)\b")


def _phrase_tokens(text: str) -> list[str]:
    """Tokens with "cannot" and "can't" read as the "can not" they mean, so one spelling matches all three."""
    return tokens(_CANNOT.sub("can not", text.lower()))


def phrase_in(phrase: str, reply: str) -> bool:
    """Word-aware, case-insensitive phrase match (substring for phrases with ':' or no letters/digits)."""
    p = tokens(phrase)
    if ":" in phrase or not p:
        return phrase.lower() in reply.lower()
    p, r = _phrase_tokens(phrase), _phrase_tokens(reply)
    n = len(p)
    return any(r[i : i + n] == p for i in range(len(r) - n + 1))


def expects_refusal(row: dict) -> bool:
    """Rows whose right answer is to decline: `answerable: false`, or skill `refusal` when unmarked."""
    if row.get("answerable") is not None:
        return row["answerable"] is False
    return row.get("skill") == "refusal"


def answer_rule(row: dict) -> tuple[str, str] | None:
    """(field, expected answer) of the row's answer rule, or None."""
    if row.get("correct_choice"):
        return None
    if row.get("normalized_answer") is not None:
        return "normalized_answer", row["normalized_answer"]
    if row.get("reference_answer") and not any(row.get(k) for k in CONTENT_RULES) and not expects_refusal(row):
        return "reference_answer", row["reference_answer"]
    return None


def enforced_rules(row: dict) -> list[str]:
    """Names of the rules the engine enforces on this row that a reply must positively satisfy."""
    out = [k for k in ("must_include", "must_include_any") if row.get(k)]
    rule = answer_rule(row)
    if rule is not None:
        out.append(rule[0])
    if row.get("correct_choice"):
        out.append("correct_choice")
    if expects_refusal(row):
        out.append("refusal")
    return out


def check_row_rules(row: dict, *, path: str | Path = "<rows>", line: int | None = None) -> None:
    """Raise PicochatInputError (file, line, field) when a rule is malformed or the rules constrain nothing."""

    def fail(msg: str, name: str) -> PicochatInputError:
        return PicochatInputError(msg, path=path, line=line, field=name)

    for name in ("must_include", "must_not_include"):
        for k, phrase in enumerate(row.get(name) or []):
            if not isinstance(phrase, str) or not phrase.strip():
                raise fail("an empty phrase constrains nothing", f"{name}[{k}]")
    for k, group in enumerate(row.get("must_include_any") or []):
        if not group or any(not isinstance(p, str) or not p.strip() for p in group):
            raise fail("each group needs at least one non-empty phrase", f"must_include_any[{k}]")
    if row.get("max_words") is not None and row["max_words"] < 1:
        raise fail("must be at least 1", "max_words")
    for name in ("normalized_answer", "reference_answer"):
        if row.get(name) is not None and not normalize_answer(row[name]):
            raise fail("an empty answer constrains nothing", name)
    choices, gold = row.get("choices"), row.get("correct_choice")
    if choices is not None:
        if len(choices) < 2 or len(choices) > len(LETTERS) or any(not isinstance(c, str) or not c.strip() for c in choices):
            raise fail(f"needs 2 to {len(LETTERS)} non-empty option texts", "choices")
        if not gold:
            raise fail("choices given without correct_choice: nothing says which option is right", "correct_choice")
    if gold:
        labels = list(LETTERS[: len(choices)]) if choices else list(LETTERS)
        if gold.strip().upper() not in labels:
            raise fail(f"must be one option letter of {', '.join(labels)}", "correct_choice")
        if row.get("normalized_answer") is not None and normalize_answer(row["normalized_answer"]) != gold.strip().lower():
            raise fail(f"disagrees with correct_choice {gold!r}", "normalized_answer")
    if not enforced_rules(row):
        present = [k for k in ("max_words", "must_not_include", "choices", "reference_answer", "answerable") if row.get(k) is not None]
        why = f"{', '.join(present)} alone constrain" if present else "the row has no scoring rule; it constrains"
        raise fail(f"{why} nothing a right reply must contain (give must_include, must_include_any, normalized_answer, "
                   "reference_answer, correct_choice or answerable: false)", present[0] if present else "must_include")


def rule_problem(row: dict) -> str | None:
    """Why the engine cannot score `row` ("field 'max_words': ... constrain nothing"), None when it can."""
    try:
        check_row_rules(row)
    except PicochatInputError as exc:
        return f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
    return None


def read_scored_rows(path: str | Path) -> list[dict]:
    """Eval rows (any accepted row format, see `data.row_formats`), each checked against the rule engine."""
    return [row for _, row in read_scored_lines(path)]


def read_scored_lines(path: str | Path) -> list[tuple[int, dict]]:
    """`read_scored_rows` with the line (or record number) each row came from."""
    from ..data.row_lines import iter_row_lines

    # a second row under one id is refused there, after the row's own rules are checked
    rows = list(iter_row_lines(path, split="eval", check=lambda row, line: check_row_rules(row, path=path, line=line)))
    if not rows:
        raise PicochatInputError("no rows (empty file)", path=path)
    return rows


def detect_prompt_echo(prompt: str, reply: str, cfg: ScoringConfig, raw_reply: str | None = None) -> bool:
    """True when the reply restates the prompt anywhere in it, or starts a new chat turn (a line opening with a role
    prefix, after any markdown heading, quote or emphasis marks).

    `raw_reply` is the reply decoded with its special tokens, where a new turn's control token shows."""
    for line in reply.splitlines():
        low = re.sub(r"\s+:", ":", re.sub(r"^[\s#>\-]+", "", re.sub(r"[*_`]", "", line)).lower())  # "### User:", "**User**:"
        if any(low.startswith(p) for p in cfg.echo_role_prefixes):
            return True
    if any(marker in (raw_reply if raw_reply is not None else reply) for marker in cfg.echo_markers):
        return True
    sentences = [tokens(part) for part in re.split(r"[.!?;:\n]+", reply)]
    p, r = tokens(prompt), [t for part in sentences for t in part]
    if len(p) < cfg.echo_min_prompt_words:
        return False
    run = min(len(p), cfg.echo_run_words)
    starts = {sum(len(part) for part in sentences[:k]) for k in range(len(sentences))}
    verbs = set(cfg.refusal_knowing_verbs + cfg.refusal_report_verbs)
    # a short wh-question embedded after a verb of knowing or saying in the same sentence is reported, not restated ("I
    # don't know who will win the final." asked "Who will win the final?")
    embedded = run == len(p) and p[0] in cfg.refusal_embedders
    reply_runs = {tuple(r[i : i + run]) for i in range(len(r) - run + 1)
                  if not (embedded and i not in starts and r[i - 1] in verbs)}
    return any(tuple(p[i : i + run]) in reply_runs for i in range(len(p) - run + 1))


def _phrase_failures(row: dict, reply: str, prompt: str = "", cfg: ScoringConfig | None = None) -> list[str]:
    """Failures of the phrase rules. On a row that expects a refusal a must_not_include phrase only inside an embedded
    question restates what is asked ("No one can know who will win" against "will win") and is not the leak it names."""
    failures = []
    refusal = cfg is not None and expects_refusal(row)
    key = (row.get("correct_choice") or "").strip().upper()
    for phrase in row.get("must_include") or []:
        if key and phrase.strip().upper() == key and cfg is not None:  # the key letter: met when the reply chooses it
            if _chosen(row, reply, prompt, cfg) != [key]:
                failures.append(f"must_include: the reply does not choose {phrase!r}")
        elif not phrase_in(phrase, reply):
            failures.append(f"must_include: missing {phrase!r}")
    for group in row.get("must_include_any") or []:
        if not any(phrase_in(p, reply) for p in group) and not (refusal and _decline_group_met(group, reply, prompt, cfg)):
            failures.append(f"must_include_any: none of {group!r}")
    for phrase in row.get("must_not_include") or []:
        if phrase_in(phrase, reply) and not (refusal and embedded_only(btokens(phrase), btokens(reply), btokens(prompt), cfg.lexicons())):
            failures.append(f"must_not_include: has {phrase!r}")
    return failures


def _chosen(row: dict, reply: str, prompt: str, cfg: ScoringConfig) -> list[str]:
    """The letters the letter judge reads a choice row's reply as choosing (the `<answer>` part on reasoning rows)."""
    choices = row.get("choices") or _listed_options(prompt, row["correct_choice"])
    labels = list(LETTERS[: len(choices)]) if choices else list(LETTERS)
    text = (reasoning_answer(reply) or "") if is_reasoning(row) else reply
    letters = chosen_letters(text, labels, choices, cfg.letters(), terms=question_terms(prompt))
    return unclaimed(letters, text, labels, choices, row["correct_choice"].strip().upper(), prompt)  # "B. A is 4 years."


def _decline_group_met(group: list[str], reply: str, prompt: str, cfg: ScoringConfig) -> bool:
    """Whether a refusal row's group of decline wordings is met by a reply that declines in another recognised form: a
    group with a phrase that itself declines ("cannot", "I don't know") asks for a decline, and any form the refusal
    judge recognises ("No way for me to know.", "That's not something I can know.") gives one; a group of other words
    ("ask Rania") still needs one of them, and a reply that does not decline meets neither."""
    lex = cfg.lexicons()
    return any(declines(p, lex) for p in group) and declines(reply, lex, prompt)


def _listed_options(prompt: str, gold: str) -> list[str] | None:
    """The options a row without `choices` lists in its prompt, when the right letter is one of them: another option's
    text beside the right letter ("B. Car is furniture.") is then caught as on a row with `choices`."""
    options = prompt_options(prompt)
    return options if options and gold.strip().upper() in LETTERS[: len(options)] else None


def is_reasoning(row: dict) -> bool:
    return str(row.get("answer_style") or "").lower() == "reasoning"


def _identity_failures(reply: str, prompt: str, cfg: ScoringConfig) -> list[str]:
    """An identity reply's false claims, the topic it leaves unanswered and a limit it denies."""
    failures = judge_identity(reply, cfg.lexicons(), prompt)
    topic = unanswered_topic(reply, prompt, cfg.lexicons())
    if topic:
        failures.append(f"identity: the question asks about {topic}, the reply never speaks of it")
    topic = denied_limit(reply, prompt, cfg.lexicons())
    if topic:
        failures.append(f"identity: the reply denies its limit on {topic}")
    return failures


def score_reply(row: dict, reply: str, prompt: str, cfg: ScoringConfig, raw_reply: str | None = None) -> dict[str, Any]:
    """Judge `reply` against the rules of `row`.

    Returns `{"passed", "failures": ["<rule>: <detail>", ...], "echo", "refusal", "expects_refusal",
    "unsupported_claim", "final_answer", "format_ok", "words"}`; `format_ok` is None except on reasoning rows.
    """
    failures = _phrase_failures(row, reply, prompt, cfg)
    n_words = len(reply.split())
    if row.get("max_words") is not None and n_words > row["max_words"]:
        failures.append(f"max_words: {n_words} > {row['max_words']}")
    judged, format_ok = reply, None
    if is_reasoning(row):
        part = reasoning_answer(reply)
        format_ok = part is not None
        if part is None:
            failures.append("format: no well-formed <reasoning>…</reasoning><answer>…</answer> pair")
        judged = part or ""
    final = None
    rule = answer_rule(row)
    if rule is not None and format_ok is not False:
        scratch = str(row.get("answer_style") or "").lower() == "scratchpad"
        _, fails, final = judge_final_answer(judged, rule[1], prompt, cfg.answers(), require_marker=scratch)
        failures += [f"{rule[0]}:{f.split(':', 1)[1]}" if f.startswith("answer:") else f for f in fails]
        wrong = false_equation(reply, cfg.answers()) if is_reasoning(row) else None
        if wrong:
            failures.append(f"{rule[0]}: the reasoning states a false equation ({wrong!r})")
        failures += working_failures(row, reply, prompt, cfg.answers(), rule[0])
    if row.get("correct_choice") and format_ok is not False:
        choices = row.get("choices") or _listed_options(prompt, row["correct_choice"])
        labels = list(LETTERS[: len(choices)]) if choices else list(LETTERS)
        ok, why = judge_letter(judged, row["correct_choice"].strip().upper(), labels, choices, cfg.letters(), prompt)
        wrong = None if rule is not None else false_equation(judged, cfg.answers())  # "A because 2 × 12 = 36."
        failures += [why] if not ok else [f"choice: the reason states a false equation ({wrong!r})"] if wrong else []
    if row.get("skill") == "identity":
        failures += _identity_failures(reply, prompt, cfg)
    wants_refusal = expects_refusal(row)
    if wants_refusal:
        refused, unsupported, fails = judge_refusal(reply, prompt, cfg.lexicons())
        reason = unfit_reason(reply, prompt, cfg.negation_words) if refused and not fails else None  # a false claim about the request
        other = other_object(reply, prompt) if refused and not fails and not reason else None  # "medical records" to a passport
        failures += fails + ([f"refusal: the reason is {reason}"] if reason else [])
        failures += [f"refusal: the decline is about {other}"] if other else []
        unsupported = unsupported or bool(reason) or bool(other)
    else:
        refused, unsupported = declines(reply, cfg.lexicons(), prompt), False
    echo = detect_prompt_echo(prompt, reply, cfg, raw_reply)
    if echo:
        failures.append("echo: reply restates the prompt")
    return {
        "passed": not failures,
        "failures": failures,
        "echo": echo,
        "refusal": refused,
        "expects_refusal": wants_refusal,
        "unsupported_claim": unsupported,
        "final_answer": final,
        "format_ok": format_ok,
        "words": n_words,
    }


@functools.lru_cache(maxsize=1)
def default_scoring_config() -> ScoringConfig:
    return load_scoring_config()


def reply_passes(row: dict, reply: str, cfg: ScoringConfig | None = None) -> bool:
    """Whether `reply` passes `row` (its own prompt as the echo reference); used by generators and tests."""
    return not rule_failures(row, reply, cfg)


def rule_failures(row: dict, reply: str, cfg: ScoringConfig | None = None) -> list[str]:
    """The failures of `reply` on `row`, with the row's own prompt as the echo reference."""
    from ..data.schema import prompt_text

    return score_reply(row, reply, prompt_text(row), cfg or default_scoring_config())["failures"]
