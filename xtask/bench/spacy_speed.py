"""spaCy's speed on the same articles, for the comparison in docs/performance.md.

Not part of `cargo xtask bench`: it needs spaCy (`pip install spacy spacy-lookups-data`), which
the project does not depend on. The small English model (en_core_web_sm) is downloaded from
GitHub, not from PyPI; where it cannot be had, this runs a pipeline of the same kind built from
spaCy's own English configuration for efficiency (a CNN tok2vec of width 96 and depth 4, a
tagger, a dependency parser, an attribute ruler, a rule lemmatizer and NER, with the parser's and
NER's hidden layers of width 64), with untrained weights: its speed is the architecture's, as
the weights' values do not change the work done per token.

    python xtask/bench/spacy_speed.py ../shared/data/bbc [--repeat 3]

Prints, per repeat, articles and tokens per CPU-second on one thread, and the peak RSS.
"""

import argparse
import glob
import os
import resource
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import spacy  # noqa: E402
from spacy.cli.init_config import init_config  # noqa: E402
from spacy.util import load_model_from_config  # noqa: E402


def read(path):
    data = open(path, "rb").read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def pipeline():
    try:
        return spacy.load("en_core_web_sm"), "en_core_web_sm"
    except OSError:
        pass
    config = init_config(lang="en", pipeline=["tagger", "parser", "ner"], optimize="efficiency")
    for name in ("parser", "ner"):
        config["components"][name]["model"]["hidden_width"] = 64
        config["components"][name]["model"]["maxout_pieces"] = 2
    nlp = load_model_from_config(config, auto_fill=True)
    nlp.add_pipe("attribute_ruler", before="ner")
    nlp.add_pipe("lemmatizer", config={"mode": "rule"}, before="ner")
    nlp.get_pipe("tagger").add_label("NN")
    for label in ("nsubj", "dobj", "prep", "pobj", "det", "amod"):
        nlp.get_pipe("parser").add_label(label)
    for label in ("PERSON", "ORG", "GPE", "DATE"):
        nlp.get_pipe("ner").add_label(label)
    nlp.initialize()
    # The tag map the trained models' attribute ruler holds, reduced to the one tag the
    # untrained tagger gives, so that the lemmatizer sees a part of speech and does its work.
    nlp.get_pipe("attribute_ruler").add(patterns=[[{"TAG": "NN"}]], attrs={"POS": "NOUN"})
    return nlp, "untrained, same architecture"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", help="folder of article files (searched two levels deep)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(glob.glob(os.path.join(args.corpus, "*", "*.txt")))
    paths += sorted(glob.glob(os.path.join(args.corpus, "*.txt")))
    texts = [read(path) for path in paths]
    nlp, kind = pipeline()
    print(f"spaCy {spacy.__version__}, {kind}: {nlp.pipe_names}, {len(texts)} articles")
    rates = []
    for _ in range(args.repeat):
        tokens = 0
        started = time.process_time()
        for doc in nlp.pipe(texts, batch_size=64):
            tokens += len(doc)
        cpu = time.process_time() - started
        rates.append(len(texts) / cpu)
        print(f"  {cpu:.1f} s CPU: {len(texts) / cpu:.1f} articles/CPU-s, {tokens / cpu:.0f} tokens/CPU-s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"median {statistics.median(rates):.1f} articles/CPU-s; peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
