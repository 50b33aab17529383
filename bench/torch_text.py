#!/usr/bin/env python3
"""Native reference for training throughput of the text networks (bench:train's text-cnn and bag-of-words).

The twin of ../shared/bench/torch_reference.py for the text generators' default graphs, which that script
lacks: same protocol (batch 64, Adam lr=1e-3, random inputs, one warm-up epoch then one timed epoch,
predict in batches of 256 under no_grad) and the same JSON line per network:
{"model", "threads", "batch", "samples_per_s", "predict_samples_per_s"}.

Inputs: random token ids in [0, vocab), sequences of --length, 2 classes. Networks (src/generators/text.ts
with DEFAULTS.text: embedding 64, dropout 0.25, 1 conv block of 64 filters, kernel 3, dense 64):
  text-cnn     : embedding(vocab, 64), dropout, [conv1d(64, 3, padding 'same') + relu] x blocks (maxpool1d(2)
                 between blocks), global max pool, dense(64) + relu, dropout, dense(2)
  bag-of-words : embedding(vocab, 64), global average pool, dropout, dense(2)

Run with the system interpreter:  /usr/bin/python3 bench/torch_text.py [--threads 1] [--n 2048] [--vocab 5000] [--length 64]
"""
import argparse, json, time
import torch
import torch.nn as nn


class TextCnn(nn.Module):
    def __init__(self, vocab, dim=64, filters=64, kernel=3, blocks=1, dense=64, dropout=0.25, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.dropout = nn.Dropout(dropout)
        layers, c = [], dim
        for i in range(blocks):
            if i > 0:
                layers.append(nn.MaxPool1d(2))
            layers += [nn.Conv1d(c, filters, kernel, padding="same"), nn.ReLU()]
            c = filters
        self.convs = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(c, dense), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dense, classes))

    def forward(self, ids):
        x = self.dropout(self.embedding(ids)).transpose(1, 2)  # [B, L, D] -> [B, D, L]: torch convolves channels first
        x = self.convs(x).amax(dim=2)  # global max pool over the positions
        return self.head(x)


class BagOfWords(nn.Module):
    def __init__(self, vocab, dim=64, dropout=0.25, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(dim, classes)

    def forward(self, ids):
        return self.out(self.dropout(self.embedding(ids).mean(dim=1)))  # global average pool over the positions


MODELS = {"text-cnn": TextCnn, "bag-of-words": BagOfWords}


def measure(name, n, batch, vocab, length):
    torch.manual_seed(0)
    model = MODELS[name](vocab)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randint(0, vocab, (n, length))
    y = torch.randint(0, 2, (n,))

    def epoch():
        model.train()
        for i in range(0, n, batch):
            opt.zero_grad()
            loss_fn(model(x[i:i + batch]), y[i:i + batch]).backward()
            opt.step()

    epoch()  # warm-up
    t = time.perf_counter(); epoch(); train_s = time.perf_counter() - t
    model.eval()
    with torch.no_grad():
        t = time.perf_counter()
        for i in range(0, n, 256):
            model(x[i:i + 256])
        pred_s = time.perf_counter() - t
    return {"model": name, "threads": torch.get_num_threads(), "batch": batch,
            "samples_per_s": round(n / train_s, 1), "predict_samples_per_s": round(n / pred_s, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--n", type=int, default=2048)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--vocab", type=int, default=5000)
    ap.add_argument("--length", type=int, default=64)
    ap.add_argument("--models", default=",".join(MODELS))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for name in a.models.split(","):
        print(json.dumps(measure(name, a.n, a.batch, a.vocab, a.length)), flush=True)


if __name__ == "__main__":
    main()
