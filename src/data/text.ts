import * as tf from '@tensorflow/tfjs';
import { InputDataError, describeValue, invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { badInput } from './input';

/** Id of the padding token (positions after the end of a short text). */
export const PAD_ID = 0;
/** Id of every token outside the vocabulary (unseen, or too rare in training). */
export const OOV_ID = 1;

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
/** A segment with a letter, number, punctuation mark or symbol (not only spaces, controls or format characters such as U+200B). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * Splits a text into lower-cased tokens: Unicode NFKC normalisation (full-width forms, ligatures),
 * lower-casing (full Unicode case mapping), then `Intl.Segmenter` word boundaries (UAX #29, with
 * dictionary segmentation for scripts written without spaces). Word-like segments (words, numbers
 * such as `3.5`, contractions such as `don't`) are tokens; so is every other non-blank segment
 * with a visible character (punctuation and emoji, one token each: `!` carries sentiment); whitespace,
 * control and format characters (e.g. zero-width spaces) are dropped.
 *
 * @example
 * ```ts
 * tokenize("Don't buy it!!  Só 3.5 ÉTOILES"); // ["don't", 'buy', 'it', '!', '!', 'só', '3.5', 'étoiles']
 * ```
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (isWordLike || VISIBLE.test(segment)) out.push(segment);
  }
  return out;
}

/** Options of {@link TextVectorizer.fit}; defaults from `DEFAULTS.text`. */
export interface TextVectorizerOptions {
  /** Most ids, padding and out-of-vocabulary included (default `DEFAULTS.text.maxVocabulary`). */
  maxVocabulary?: number;
  /** Least training count of a vocabulary token (default `DEFAULTS.text.minTokenCount`). */
  minTokenCount?: number;
  /** Tokens per text; default: the `DEFAULTS.text.lengthPercentile` percentile of the training texts, at most `DEFAULTS.text.maxSequenceLength`. */
  sequenceLength?: number;
  /**
   * Longest word n-gram in the vocabulary, 1 or 2 (default `DEFAULTS.text.ngrams`): with 2, each text's
   * ids are its words followed by its word pairs (`"not good"`), so the bag of words becomes a bag of
   * n-grams (fastText's bigrams) and counts, lengths and the vocabulary cover both.
   */
  ngrams?: number;
}

/** The words of a text followed, for `ngrams` 2, by its adjacent word pairs (joined by a space, which no token holds). */
export function textGrams(text: string, ngrams: number): string[] {
  const tokens = tokenize(text);
  if (ngrams < 2) return tokens;
  const pairs = tokens.slice(1).map((t, i) => `${tokens[i]!} ${t}`);
  return tokens.concat(pairs);
}

/**
 * Checks {@link TextVectorizerOptions} (absent fields are fine): an ArgumentError naming the field otherwise.
 *
 * @example
 * ```ts
 * checkVectorizerOptions({ minTokenCount: 1 });   // ok
 * checkVectorizerOptions({ maxVocabulary: 2 });   // ArgumentError: ... `maxVocabulary`, expected an integer of at least 3 ...
 * ```
 */
export function checkVectorizerOptions(options: TextVectorizerOptions): void {
  if (typeof options !== 'object' || options === null) invalidArgument('options', 'an object', options);
  const { maxVocabulary, minTokenCount, sequenceLength, ngrams } = options;
  if (maxVocabulary !== undefined && (!Number.isInteger(maxVocabulary) || maxVocabulary < 3)) invalidArgument('maxVocabulary', 'an integer of at least 3 (padding, out-of-vocabulary and one token)', maxVocabulary);
  if (minTokenCount !== undefined && (!Number.isInteger(minTokenCount) || minTokenCount < 1)) invalidArgument('minTokenCount', 'a positive integer', minTokenCount);
  if (sequenceLength !== undefined && (!Number.isInteger(sequenceLength) || sequenceLength < 1)) invalidArgument('sequenceLength', 'a positive integer', sequenceLength);
  if (ngrams !== undefined && ngrams !== 1 && ngrams !== 2) invalidArgument('ngrams', '1 (words) or 2 (words and word pairs)', ngrams);
}

/** The JSON of a fitted {@link TextVectorizer} (in `preprocessing.json` under `text`). */
export interface TextVectorizerJSON {
  format: 'autokeras-ts/text';
  version: 1;
  /** Tokens by id from 2 (`vocabulary[i]` has id `i + 2`; 0 pads, 1 is out-of-vocabulary). */
  vocabulary: string[];
  /** Tokens per encoded text. */
  sequenceLength: number;
  /** Longest n-gram (absent: 1, words only). */
  ngrams?: number;
}

/**
 * Checks that `x` is a non-empty array of non-blank strings; an InputDataError naming the entry otherwise.
 *
 * @example
 * ```ts
 * checkTexts(['good', 'bad'], 'x');  // ok
 * checkTexts(['good', 3], 'x');     // InputDataError: ... expected a string at x[1] ... Received: x[1]=3
 * ```
 */
export function checkTexts(x: unknown, name: string): asserts x is readonly string[] {
  if (!Array.isArray(x)) badInput(name, 'an array of strings (one text per sample)', describeValue(x));
  if (x.length === 0) badInput(name, 'at least one text', 'an empty array');
  if (x.every((t) => typeof t === 'string' && t.trim() === '')) badInput(name, 'at least one non-empty text', `${x.length} texts, all empty or blank`);
  for (let i = 0; i < x.length; i++) {
    const t: unknown = x[i];
    if (typeof t !== 'string') throw new InputDataError(`Received an invalid value for \`${name}\`, expected a string at ${name}[${i}] (one text per sample). Received: ${name}[${i}]=${describeValue(t)} (${t === null ? 'null' : typeof t})`);
    if (t.trim() === '') throw new InputDataError(`Received an invalid value for \`${name}\`, expected a non-empty text at ${name}[${i}]. Received: ${name}[${i}]=${describeValue(t)} (drop the sample or give it a text)`);
  }
}

/**
 * Turns texts into fixed-length sequences of token ids, learned from the training texts: tokens by
 * {@link tokenize}; a vocabulary of the most frequent tokens (ties: first seen first) with at least
 * `minTokenCount` occurrences, capped at `maxVocabulary` ids; every other token gets {@link OOV_ID}.
 * Each text keeps its first `sequenceLength` tokens and is padded after its end with {@link PAD_ID}.
 * The length defaults to the 95th percentile (nearest rank) of the training texts' token counts, so a
 * few very long texts do not make every sequence long. Part of the model: `export` writes it.
 *
 * @example
 * ```ts
 * const v = TextVectorizer.fit(['good movie', 'bad movie', 'good good'], { minTokenCount: 1 });
 * v.vocabulary;          // ['good', 'movie', 'bad']
 * v.encode('good plot'); // [2, 1]  (sequenceLength 2)
 * const x = v.transform(['bad']); // float32 [1, 2]: [[4, 0]]
 * ```
 */
export class TextVectorizer {
  private readonly ids: Map<string, number>;

  private constructor(readonly vocabulary: readonly string[], readonly sequenceLength: number, readonly ngrams: number = 1) {
    this.ids = new Map(vocabulary.map((t, i) => [t, i + 2]));
  }

  /** Fits on training texts (checked with {@link checkTexts}; a corpus without a single token is an InputDataError). */
  static fit(texts: readonly string[], options: TextVectorizerOptions = {}, name = 'x'): TextVectorizer {
    checkVectorizerOptions(options);
    checkTexts(texts, name);
    const d = DEFAULTS.text;
    const maxVocabulary = options.maxVocabulary ?? d.maxVocabulary;
    const minCount = options.minTokenCount ?? d.minTokenCount;
    const ngrams = options.ngrams ?? d.ngrams;
    const counts = new Map<string, number>();
    const lengths: number[] = [];
    for (const text of texts) {
      const tokens = textGrams(text, ngrams);
      lengths.push(tokens.length);
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    if (counts.size === 0) badInput(name, 'texts with at least one token (a word, number, punctuation mark or symbol)', `${texts.length} texts of whitespace only`);
    // Map iteration is insertion order, and the sort is stable: ties keep the first-seen order.
    const vocabulary = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]).slice(0, maxVocabulary - 2).map(([t]) => t);
    const sorted = lengths.slice().sort((a, b) => a - b);
    const rank = Math.max(0, Math.ceil(d.lengthPercentile * sorted.length) - 1);
    const sequenceLength = options.sequenceLength ?? Math.min(d.maxSequenceLength, Math.max(1, sorted[rank]!));
    return new TextVectorizer(vocabulary, sequenceLength, ngrams);
  }

  /** Ids in use: the vocabulary plus padding and out-of-vocabulary (the embedding's `inputDim`). */
  get size(): number {
    return this.vocabulary.length + 2;
  }

  /** The ids of one text, `[sequenceLength]`: truncated after `sequenceLength` tokens, padded with 0. */
  encode(text: string): number[] {
    const out = new Array<number>(this.sequenceLength).fill(PAD_ID);
    const tokens = textGrams(text, this.ngrams);
    for (let i = 0; i < Math.min(tokens.length, this.sequenceLength); i++) out[i] = this.ids.get(tokens[i]!) ?? OOV_ID;
    return out;
  }

  /** Texts (checked with {@link checkTexts}) -> float32 ids `[N, sequenceLength]` (caller disposes). */
  transform(texts: readonly string[], name = 'x'): tf.Tensor2D {
    checkTexts(texts, name);
    const L = this.sequenceLength;
    const data = new Float32Array(texts.length * L);
    texts.forEach((t, i) => data.set(this.encode(t), i * L));
    return tf.tensor2d(data, [texts.length, L], 'float32');
  }

  toJSON(): TextVectorizerJSON {
    return { format: 'autokeras-ts/text', version: 1, vocabulary: this.vocabulary.slice(), sequenceLength: this.sequenceLength, ...(this.ngrams > 1 ? { ngrams: this.ngrams } : {}) };
  }

  /** Restores from {@link TextVectorizer.toJSON}; InputDataError for anything else. */
  static fromJSON(doc: unknown): TextVectorizer {
    const d = doc as Partial<TextVectorizerJSON> | null;
    const ok = !!d && d.format === 'autokeras-ts/text' && d.version === 1 && Array.isArray(d.vocabulary) && d.vocabulary.every((t) => typeof t === 'string')
      && Number.isInteger(d.sequenceLength) && d.sequenceLength! > 0 && new Set(d.vocabulary).size === d.vocabulary.length
      && (d.ngrams === undefined || d.ngrams === 1 || d.ngrams === 2);
    if (!ok) throw new InputDataError(`Not a text vectorizer document (format "autokeras-ts/text", version 1, distinct string vocabulary, positive sequenceLength, ngrams 1 or 2): ${describeValue(doc)}`);
    return new TextVectorizer(d.vocabulary!.slice(), d.sequenceLength!, d.ngrams ?? 1);
  }
}
