"""Every hand-set tuning constant of language detection and matching, in one place.

Set on the tuning sets (eval, dev2, dev3, holdout, tune, tune2; their misses were read); the decision model's
fitted weights and bars are in bot/nlu/decision_weights.py. See docs/matching.md for what each one does.
"""

# --- language detection -------------------------------------------------------------------------
#: A stopword of a language counts as if seen this many times in that language's examples.
STOPWORD_BOOST = 30
#: Weight of the character-trigram model (per word) built from the content's own texts.
TRIGRAM_WEIGHT = 0.7
#: Log-evidence added to the caller's prior language (the user's previous language or Telegram's hint).
PRIOR_WEIGHT = 1.5
#: Without any hint (no previous message, no Telegram language), a near tie goes to this language by this much
#: log-evidence: the lingua franca of people who write neither language natively.
NO_HINT_LANGUAGE = "en"
NO_HINT_WEIGHT = 0.25
#: A word the spelling corrector put in for a slip ("goor" read as "door") counts this much of a typed word's evidence:
#: the slip may as well be of a word of the other language ("goor evening").
GUESSED_WORD_WEIGHT = 0.3
#: A language is "certain" (allowed to switch a user's language) when it wins by at least this much.
LANG_CERTAIN_MARGIN = 3.0

# --- spelling -----------------------------------------------------------------------------------
#: Words shorter than this are never corrected (too many two-letter words are one slip apart).
SPELLING_MIN_LENGTH = 3
#: (from this many letters, this many slips): a word of 3-8 letters may have one slip, of 9 or more two (three-letter
#: words only a swap of two letters: bot/nlu/spelling.py).
SPELLING_MAX_DISTANCE = ((3, 1), (9, 2))

# --- matching -----------------------------------------------------------------------------------
#: Minimum rapidfuzz ratio (0-100) for a misspelt word to count as a known word.
FUZZY_WORD_CUTOFF = 80
#: Words shorter than this must match exactly (too many short words are one edit apart).
FUZZY_MIN_LENGTH = 4
#: Similarity given to a compound word that starts or ends with a known word ("terugkeerregeling").
COMPOUND_SIMILARITY = 0.7
#: Shortest known word accepted as part of a compound.
COMPOUND_MIN_PART = 5
#: Weight of an unknown word relative to the median word weight: unknown words pull a score down.
UNKNOWN_WORD_WEIGHT = 1.2
#: A word's weight is scaled by sqrt(examples using it / RELIABLE_EXAMPLES), capped at 1: a word seen once is
#: weak evidence, however rare.
RELIABLE_EXAMPLES = 2
#: Share of the word-overlap score that comes from how much of the *message* is explained
#: (the rest: how much of the example is covered).
QUERY_COVERAGE_SHARE = 0.35
#: Share of an intent's score from how much of the message its whole vocabulary explains (the rest: best example).
INTENT_COVER_SHARE = 0.5
#: Share of the final score from word overlap; the rest is rapidfuzz's character similarity.
TOKEN_SHARE = 0.75

#: Smoothing of the character n-gram model (multinomial naive Bayes, bot/nlu/ngrams.py).
NGRAM_ALPHA = 0.03
#: Weight of the n-gram model's probability next to the word matcher's score when ranking intents.
NGRAM_SHARE = 2.0
#: The n-gram model's log-probabilities are divided by this before they are blended: naive Bayes is overconfident.
NGRAM_TEMPERATURE = 10.0

# --- decisions ----------------------------------------------------------------------------------
# The answer / clarify / none bars are probabilities fitted by bench/calibrate.py (bot/nlu/decision_weights.py).
#: A best topic scoring under this is never answered nor offered, whatever the model's probability: "can my goldfish
#: fly to mars, call 0612345678" must not get the contact answer from "call" alone (no right answer on the tuning
#: sets scores under 0.18).
ANSWER_MIN_SCORE = 0.15
#: "Did you mean" only when the runner-up is within this distance of the best (genuinely torn) ...
CLARIFY_MARGIN = 0.06
#: ... and a runner-up of the same group within this distance of a confident answer is offered as a follow-up.
ALSO_MARGIN = 0.12
#: A near-domain off-topic kind (other_asylum ...) is reported when it scores at least this ...
TOPIC_MIN_SCORE = 0.2
