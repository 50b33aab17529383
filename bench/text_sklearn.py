"""Baselines of `npm run bench:text`: scikit-learn on the same texts and splits.

Reads the manifest written by bench/text.ts (argv[1]): for each data set a file of `sentence<TAB>label`
lines and, per seed, the train / test line indices. Features: TfidfVectorizer(ngram_range=(1, 2)) fitted
on the training sentences (scikit-learn's default tokenisation and lower-casing). Models at defaults:
LogisticRegression (max_iter 5000) and LinearSVC (random_state = seed). Also scores both on
scikit-learn's own stratified-free split, train_test_split(test_size=0.2, random_state=0), for comparison
with the issue's reference figures. Prints one JSON object:
{dataset: {seed | 'sklearn_split_rs0': {model: test accuracy}}}.
"""
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC


def load(path):
    texts, labels = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            text, label = line.rstrip('\n').rsplit('\t', 1)
            texts.append(text)
            labels.append(label.strip())
    return texts, labels


def score(xtr, ytr, xte, yte, seed):
    vec = TfidfVectorizer(ngram_range=(1, 2))
    a = vec.fit_transform(xtr)
    b = vec.transform(xte)
    out = {}
    for name, model in (('logistic_regression', LogisticRegression(max_iter=5000)), ('linear_svc', LinearSVC(random_state=seed))):
        model.fit(a, ytr)
        out[name] = float((model.predict(b) == yte).mean())
    return out


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    out = {}
    for name, spec in manifest.items():
        texts, labels = load(spec['file'])
        out[name] = {}
        for split in spec['splits']:
            tr, te = split['train'], split['test']
            import numpy as np
            y = np.array(labels)
            out[name][str(split['seed'])] = score([texts[i] for i in tr], y[tr], [texts[i] for i in te], y[te], split['seed'])
        xtr, xte, ytr, yte = train_test_split(texts, labels, test_size=0.2, random_state=0)
        import numpy as np
        out[name]['sklearn_split_rs0'] = score(xtr, np.array(ytr), xte, np.array(yte), 0)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
