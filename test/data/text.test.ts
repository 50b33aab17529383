import * as tf from '@tensorflow/tfjs';
import { InputDataError, ArgumentError } from '../../src/errors';
import { OOV_ID, PAD_ID, TextVectorizer, tokenize } from '../../src/data/text';
import { Preprocessing } from '../../src/data/preprocessing';
import { DEFAULTS } from '../../src/options';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tokenize', () => {
  it('lower-cases Unicode text and splits on word boundaries', () => {
    expect(tokenize('Hello WORLD')).toEqual(['hello', 'world']);
    expect(tokenize('ÉCOLE Straße İstanbul ΣΟΦΙΑ')).toEqual(['école', 'straße', 'i̇stanbul', 'σοφια']);
    expect(tokenize('Ｆｕｌｌ－ｗｉｄｔｈ ﬁne')).toEqual(['full', '-', 'width', 'fine']); // NFKC
    expect(tokenize('日本語のテキスト')).toEqual(expect.arrayContaining(['日本語']));
  });

  it('keeps punctuation and emoji as their own tokens, drops whitespace and invisible characters', () => {
    expect(tokenize("Don't buy it!!  Really?")).toEqual(["don't", 'buy', 'it', '!', '!', 'really', '?']);
    expect(tokenize('great 🙂\u200b\t\n')).toEqual(['great', '🙂']);
    expect(tokenize('   ')).toEqual([]);
  });

  it('keeps numbers whole (decimals, thousands)', () => {
    expect(tokenize('Costs 3.5 dollars, 1,000 units, 42%')).toEqual(['costs', '3.5', 'dollars', ',', '1,000', 'units', ',', '42', '%']);
  });
});

describe('TextVectorizer', () => {
  const corpus = ['good movie', 'bad movie', 'good good plot', 'the plot was bad', 'good'];

  it('orders the vocabulary by frequency (ties: first seen), reserves 0 for padding and 1 for unknown tokens', () => {
    const v = TextVectorizer.fit(corpus, { minTokenCount: 1 });
    expect(v.vocabulary).toEqual(['good', 'movie', 'bad', 'plot', 'the', 'was']);
    expect(v.size).toBe(8);
    expect(PAD_ID).toBe(0);
    expect(OOV_ID).toBe(1);
    expect(v.encode('GOOD unseen')).toEqual([2, OOV_ID, PAD_ID, PAD_ID].slice(0, v.sequenceLength));
  });

  it('caps the vocabulary by maxVocabulary and minTokenCount', () => {
    expect(TextVectorizer.fit(corpus, { minTokenCount: 1, maxVocabulary: 4 }).vocabulary).toEqual(['good', 'movie']);
    expect(TextVectorizer.fit(corpus, { minTokenCount: 2 }).vocabulary).toEqual(['good', 'movie', 'bad', 'plot']);
    expect(TextVectorizer.fit(corpus).vocabulary).toHaveLength(DEFAULTS.text.minTokenCount === 2 ? 4 : 6);
    expect(() => TextVectorizer.fit(corpus, { maxVocabulary: 2 })).toThrow(ArgumentError);
    expect(() => TextVectorizer.fit(corpus, { minTokenCount: 0 })).toThrow(/`minTokenCount`/);
  });

  it('chooses the sequence length as the 95th percentile of token counts (capped), pads and truncates', () => {
    const texts = [...Array.from({ length: 19 }, () => 'a b c'), Array.from({ length: 500 }, () => 'w').join(' ')];
    const v = TextVectorizer.fit(texts, { minTokenCount: 1 });
    expect(v.sequenceLength).toBe(3);
    const long = TextVectorizer.fit([Array.from({ length: 1000 }, () => 'w').join(' ')], { minTokenCount: 1 });
    expect(long.sequenceLength).toBe(DEFAULTS.text.maxSequenceLength);
    const x = v.transform(['a', 'c b a w w w w']);
    expect(x.shape).toEqual([2, 3]);
    expect(Array.from(x.dataSync())).toEqual([3, 0, 0, 5, 4, 3]);
    x.dispose();
    expect(TextVectorizer.fit(['a b'], { minTokenCount: 1, sequenceLength: 7 }).encode('a')).toHaveLength(7);
  });

  it('round-trips through JSON to identical encodings; rejects bad documents', () => {
    const v = TextVectorizer.fit(corpus, { minTokenCount: 1 });
    const again = TextVectorizer.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    for (const t of [...corpus, 'unseen words!', 'Ünïcödé 🙂']) expect(again.encode(t)).toEqual(v.encode(t));
    expect(() => TextVectorizer.fromJSON({ format: 'autokeras-ts/text', version: 1, vocabulary: ['a', 'a'], sequenceLength: 2 })).toThrow(InputDataError);
    expect(() => TextVectorizer.fromJSON({ format: 'autokeras-ts/text', version: 1, vocabulary: [], sequenceLength: 0 })).toThrow(InputDataError);
  });

  it('ngrams 2: word pairs in the vocabulary and after the words of each text; kept through JSON', () => {
    const texts = ['not good at all', 'not good', 'very good'];
    const v = TextVectorizer.fit(texts, { minTokenCount: 2, ngrams: 2 });
    expect(v.vocabulary).toEqual(['good', 'not', 'not good']); // 'not good' twice; other pairs once
    expect(v.sequenceLength).toBe(7); // 4 words + 3 pairs, the longest (95th percentile of 7, 3, 3)
    const id = (t: string) => v.vocabulary.indexOf(t) + 2;
    expect(v.encode('Not good!')).toEqual([id('not'), id('good'), OOV_ID, id('not good'), OOV_ID, PAD_ID, PAD_ID]);
    expect(TextVectorizer.fit(texts, { minTokenCount: 2 }).vocabulary).toEqual(['good', 'not']); // words only by default
    const doc = JSON.parse(JSON.stringify(v.toJSON()));
    expect(doc.ngrams).toBe(2);
    expect(TextVectorizer.fromJSON(doc).encode('not good')).toEqual(v.encode('not good'));
    expect(() => TextVectorizer.fit(texts, { ngrams: 3 })).toThrow(/`ngrams`, expected 1 \(words\) or 2/);
    expect(() => TextVectorizer.fromJSON({ ...doc, ngrams: 5 })).toThrow(InputDataError);
  });

  it('names the bad entry: non-strings, empty texts, an empty or blank corpus', () => {
    expect(() => TextVectorizer.fit(['a', null as unknown as string])).toThrow(/expected a string at x\[1\].*Received: x\[1\]=null \(null\)/);
    expect(() => TextVectorizer.fit(['a', ''])).toThrow(/expected a non-empty text at x\[1\]/);
    expect(() => TextVectorizer.fit([])).toThrow(/expected at least one text. Received: x=an empty array/);
    expect(() => TextVectorizer.fit(['', '  '])).toThrow(/all empty or blank/);
    expect(() => TextVectorizer.fit('text' as never)).toThrow(/expected an array of strings/);
  });
});

describe('Preprocessing with text', () => {
  it('fits ids [N, L], one-hot labels, and round-trips its JSON with the vocabulary', () => {
    const before = tf.memory().numTensors;
    const { prep, x, y } = Preprocessing.fit(['good movie', 'bad movie', 'good'], ['pos', 'neg', 'pos'], { task: 'classification', text: { minTokenCount: 1 } });
    expect(x.shape).toEqual([3, prep.text!.sequenceLength]);
    expect(y.shape).toEqual([3, 2]);
    expect(prep.sampleShape).toEqual([prep.text!.sequenceLength]);
    const again = Preprocessing.fromJSON(JSON.parse(JSON.stringify(prep.toJSON())));
    expect(again.text!.vocabulary).toEqual(prep.text!.vocabulary);
    const a = prep.transformX(['bad plot'] as never);
    const b = again.transformX(['bad plot'] as never);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, y, a, b]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('mismatched lengths are an InputDataError, nothing left allocated', () => {
    const before = tf.memory().numTensors;
    expect(() => Preprocessing.fit(['a', 'b', 'c'], [1, 0], { task: 'classification', text: {} })).toThrow(InputDataError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
