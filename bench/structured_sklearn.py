"""Baselines of `npm run bench:structured`: scikit-learn on the same CSVs and splits.

Reads the manifest written by bench/structured.ts (argv[1]): for each data set a CSV with a header,
the target column, the task, the categorical columns and, per seed, the train / test row indices.
Preprocessing (fitted on the training rows): numbers imputed with the median plus missing indicators,
then standardised; categories imputed as "missing", one-hot with unknown categories ignored.
Models at scikit-learn defaults (random_state = seed): LogisticRegression (max_iter 5000) or Ridge,
RandomForest, HistGradientBoosting. Prints one JSON object: {dataset: {seed: {model: metric}}},
metric = test accuracy (classification) or test RMSE (regression).
"""
import csv
import json
import sys

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MISSING = {'', '?', 'NA'}


def load(spec):
    with open(spec['csv'], newline='') as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    target = header.index(spec['target'])
    features = [h for h in header if h != spec['target']]
    cat = set(spec['categorical'])
    columns = []
    for name in features:
        k = header.index(name)
        if name in cat:
            columns.append(np.array([r[k].strip() if r[k].strip() not in MISSING else 'missing' for r in rows], dtype=object))
        else:
            columns.append(np.array([float(r[k]) if r[k].strip() not in MISSING else np.nan for r in rows], dtype=float))
    x = np.empty((len(rows), len(features)), dtype=object)
    for j, c in enumerate(columns):
        x[:, j] = c
    y = [r[target].strip() for r in rows]
    y = np.array(y) if spec['task'] == 'classification' else np.array([float(v) for v in y])
    num_idx = [j for j, n in enumerate(features) if n not in cat]
    cat_idx = [j for j, n in enumerate(features) if n in cat]
    return x, y, num_idx, cat_idx


def preprocessor(num_idx, cat_idx):
    parts = [('num', make_pipeline(SimpleImputer(strategy='median', add_indicator=True), StandardScaler()), num_idx)]
    if cat_idx:
        parts.append(('cat', OneHotEncoder(handle_unknown='ignore'), cat_idx))
    return ColumnTransformer(parts)


def models(task, seed):
    if task == 'classification':
        return {'linear': LogisticRegression(max_iter=5000), 'random_forest': RandomForestClassifier(random_state=seed),
                'hist_gradient_boosting': HistGradientBoostingClassifier(random_state=seed)}
    return {'linear': Ridge(), 'random_forest': RandomForestRegressor(random_state=seed),
            'hist_gradient_boosting': HistGradientBoostingRegressor(random_state=seed)}


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    out = {}
    for name, spec in manifest.items():
        x, y, num_idx, cat_idx = load(spec)
        out[name] = {}
        for split in spec['splits']:
            train, test = np.array(split['train']), np.array(split['test'])
            out[name][str(split['seed'])] = {}
            for model_name, model in models(spec['task'], split['seed']).items():
                pipe = make_pipeline(preprocessor(num_idx, cat_idx), model)
                xtr = x[train]
                xte = x[test]
                if model_name == 'hist_gradient_boosting':
                    # HistGradientBoosting needs a dense array.
                    pipe = make_pipeline(preprocessor(num_idx, cat_idx), _Dense(), model)
                pipe.fit(xtr, y[train])
                pred = pipe.predict(xte)
                if spec['task'] == 'classification':
                    metric = float(np.mean(pred == y[test]))
                else:
                    metric = float(np.sqrt(np.mean((pred - y[test]) ** 2)))
                out[name][str(split['seed'])][model_name] = metric
    print(json.dumps(out))


class _Dense:
    """Turns a sparse matrix dense (OneHotEncoder output inside a ColumnTransformer may be sparse)."""

    def fit(self, x, y=None):
        return self

    def transform(self, x):
        return x.toarray() if hasattr(x, 'toarray') else np.asarray(x, dtype=float)

    def fit_transform(self, x, y=None):
        return self.transform(x)


if __name__ == '__main__':
    main()
