/**
 * Every default and constant of autokeras-ts, in one typed module (Auto-Keras 0.3 defaults unless noted).
 * Modules import their defaults from here; nothing else hard-codes them.
 *
 * @example
 * ```ts
 * import { DEFAULTS } from 'autokeras-ts';
 * DEFAULTS.search.ucbBeta; // 2.576
 * ```
 */
export const DEFAULTS = {
  /** Search loop (docs/algorithms.md section 5). */
  search: {
    /** Seconds; Auto-Keras default is 24 h. */
    timeLimit: 24 * 60 * 60,
    /** Most trials in one search. */
    maxTrials: 1000,
    /** Fraction of the training data held out for validation. */
    validationSplit: 0.08333,
    /** Cap on the held-out validation samples. */
    maxValidationSamples: 500,
    /** UCB exploration weight. */
    ucbBeta: 2.576,
    /**
     * Share of the search's time limit one trial may train (unless `trialTimeLimit` is set). Children
     * start from their parent's trained weights, so short trials chain; without a cap the first
     * architecture alone can spend a short budget.
     */
    trialTimeFraction: 0.2,
    /**
     * Share of the search's time limit the first trial (the first initial architecture, from scratch)
     * may train, when `trialTimeLimit` is not given: it trains until early stopping or `epochsPerTrial`
     * end it, or this share of the budget does. Every later trial starts from a trained network, so a
     * well-trained first one is what the search builds on; under a short budget it is most of what the
     * budget can buy. In a 60 s bench:quality run on Fashion-MNIST (other processes on the cores) the
     * 20 s cap stopped the CNN after 3 epochs (validation 0.757) and its morphed children had 2 and 1;
     * uncapped and alone it trained 7-9 epochs (0.82-0.84).
     */
    firstTrialShare: 1,
    /**
     * Most trials averaged into the final model (the `ensemble` option; 1 keeps the best trial alone).
     * After the search, trials are added to the best one greedily, by validation loss, and the ensemble is
     * kept only when it beats the best trial on validation (see `chooseFinalModel`).
     */
    ensembleSize: 1,
    /** The best trials `chooseFinalModel` considers as ensemble members (each costs one pass over the validation data). */
    ensembleCandidates: 6,
    /**
     * Seconds a trial may always train, however short the budget (the cap is at least this): an epoch of
     * the bundled 3,000-image sample takes 6-13 s on wasm here, and a trial needs about two to say anything.
     */
    minTrialTime: 20,
    /**
     * Share of the search's time the initial architectures (trained from scratch) may take together.
     * A built-in searcher proposes the next initial architecture only while the trained seconds of the
     * earlier ones, plus one more trial of their mean length (the per-trial cap before any is observed),
     * stay within this share: with the 20% trial cap, a short search trains the CNN and the ResNet and
     * then morphs, instead of spending 60% of its time on three networks from scratch.
     */
    initialTimeShare: 0.5,
    /**
     * What the Gaussian process believes of an architecture still training when the next one is
     * proposed (prefetch, parallel workers): `'believer'` (kriging believer: its own posterior mean) or
     * `'worst'` (constant liar at the worst observed metric).
     */
    liar: 'believer' as 'believer' | 'worst',
    /**
     * Whole epochs a morphed child must be able to train within the per-trial cap for the Bayesian and
     * greedy searchers to propose it: its epoch time is estimated from its trained ancestor's measured
     * epoch times the ratio of their compute. Without it, the UCB's exploration term favours the far,
     * heavy children (three widenings), which train one epoch in the cap where a one-op child trains
     * three or four, and so score lower for being less trained. 0 turns the test off.
     */
    minTrialEpochs: 2,
    /**
     * Most a morphed child's estimated epoch time may be, as a multiple of its trained ancestor's (the
     * ratio of their `trainingCost`), for the Bayesian and greedy searchers to propose it under a
     * per-trial cap: such a child trains at least two thirds of the epochs its parent could in the same
     * cap. Most single morphs of the CNN cost 1.0-1.4x (a wide deeper conv up to 2.5x); proposals of two
     * or three morphs 1.0-3.3x. In the 1200 s bench:search runs of 2026-12-03, `minTrialEpochs` let
     * through three Bayesian proposals of ~3x (two widenings and a deeper conv at once): they trained 3-4
     * epochs in the cap where their siblings trained 10-13, and scored below their parents. 0 turns the
     * test off.
     */
    maxCostGrowth: 1.5,
    /**
     * Multiply-accumulates one activation element costs in a training step, in the estimate of epoch
     * times (`trainingCost`). Fitted to the epoch times of the bench:search trials on wasm (2026-12-03:
     * the CNN, the ResNet and their children; epoch seconds ~ 1.9 per MMAC + 0.084 per thousand
     * activations): element-wise layers, forward and backward, run far below the convolutions' speed.
     */
    activationCost: 40,
    /** Most morphs in one RandomSearcher walk (a walk takes 1..this many). */
    randomWalkLength: 1,
    /** Seed of every random choice of a search. */
    seed: 0,
    /** The searcher of the task classes (a registered name). */
    searcher: 'bayesian',
    /** Run a built-in searcher in a worker thread that proposes while trials train (paper section 4.3). */
    searchThread: true,
    /** Memory budget of one candidate in bytes (paper section 4.4): larger candidates are not trained. */
    memoryBudget: 2 * 1024 ** 3,
    /**
     * Seconds one proposal (GP update and tree search) may take: `share` of the search's time limit,
     * between `min` and `max` (the tree search would otherwise grow with the history).
     */
    proposeTime: { share: 0.05, min: 5, max: 60 },
  },
  /** Where trials run (`src/execute`; docs/architecture.md, "Scale beyond one machine"). */
  execute: {
    /**
     * Where the task classes run trials: `'auto'` is a process pool of `poolWorkers` when the machine has
     * two or more cores and the data are in memory, in-process otherwise.
     */
    executor: 'auto' as 'auto' | 'in-process',
    /** Times an executor starts one trial before it records it as failed (2: one retry). */
    attempts: 2,
    /**
     * Child processes of a `{ type: 'process-pool' }` executor given without `workers`, and of the
     * default executor: `'cores'` is `os.availableParallelism()`.
     */
    poolWorkers: 'cores' as 'cores' | number,
    /** Trials a BullMQ executor keeps in flight without `workers`. */
    queueCapacity: 1,
    /** Trials one BullMQ worker process trains at once (tfjs trains on one thread). */
    workerConcurrency: 1,
  },
  /** Network morphism (docs/algorithms.md section 2). */
  morph: {
    /** Children produced per expansion. */
    neighbours: 8,
    /** Most layers in a graph. */
    maxLayers: 200,
    /** Most units / filters in one layer. */
    maxLayerWidth: 4096,
    /** Most trainable + non-trainable parameters (2^25). */
    maxParams: 2 ** 25,
    /** Noise added to identity initialisations, as a fraction of the weights' range. */
    noiseRatio: 0.5e-4,
    /** Kernel sizes a deeper conv may take. */
    deeperConvKernels: [1, 3, 5] as readonly number[],
    /** Dropout rate of a dropout inserted by deeper. */
    deeperDropoutRate: 0.5,
  },
  /** Edit-distance kernel and Gaussian process (docs/algorithms.md section 3). */
  kernel: {
    /** Weight of the skip-connection term in the edit distance. */
    lambda: 1.0,
    /** Diagonal noise added to the kernel matrix. */
    alpha: 1e-10,
    /** Largest jitter tried before a SearchError. */
    maxJitter: 1e-2,
  },
  /** Tree-structured acquisition optimiser (docs/algorithms.md section 4). */
  annealing: {
    initialTemperature: 1.0,
    decay: 0.9,
    minTemperature: 1e-4,
    /** Two architectures closer than this are the same. */
    duplicateDistance: 1e-5,
    /**
     * Most morph operations between a proposal and its trained ancestor. The paper's tree is unbounded;
     * unbounded, the UCB's uncertainty term drives the search down one branch (proposals of 10+ ops that
     * grew a 587-parameter network to 593k parameters in one step and spent the whole budget training it).
     * 1: the acquisition ranks the single morphs of every trained architecture. At 3, Bayesian children
     * (2.2-2.6 ops on average) gained less over their parents than random search's single morphs in each
     * of three bench:search runs; at 1 (with a 2,000-image validation set for every method) the Bayesian
     * search beat random search on 3 of 3 seeds (BENCHMARKS.md, which says what that run cannot separate).
     */
    maxDepth: 1,
  },
  /** Training one trial (docs/algorithms.md section 5). */
  train: {
    maxBatchSize: 128,
    /** Early-stopping patience during the search. */
    patience: 5,
    /** Early-stopping patience in finalFit. */
    finalPatience: 30,
    /** Smallest decrease of the validation loss that counts as an improvement. */
    minDelta: 1e-4,
    /** Most epochs of one trial. */
    maxEpochs: 30,
    /** Most epochs of finalFit. */
    finalMaxEpochs: 200,
    /**
     * Adam's initial rate (Auto-Keras 0.2: 1e-3). With the cosine schedule, 2e-3 scored +0.011 test
     * accuracy over 1e-3 for the CNN (then of 64 filters) trained 13-14 epochs on 6,000 Fashion-MNIST
     * images (2 seeds, bench:recipe on a lent 16-core machine, 16 runs side by side).
     */
    learningRate: 2e-3,
    /**
     * Learning-rate schedule of a training run: `'cosine'` decays the rate from `learningRate` to
     * `minLearningRateRatio` times it over the run's planned epochs (its `epochs`, or fewer when the
     * first epoch's time says fewer fit before its deadline: budgeted training), `'constant'` keeps it.
     */
    lrSchedule: 'cosine' as 'cosine' | 'constant',
    /** Where the cosine schedule ends, as a fraction of the initial learning rate. */
    minLearningRateRatio: 0.05,
  },
  /** Preprocessing, augmentation and loaders (docs/algorithms.md section 5; `src/data`). */
  data: {
    /**
     * Largest random shift of the crop augmentation, as a fraction of the image's shorter side (the
     * padding is `round(shift * side)` pixels: 2 on 28x28, 1 on 14x14 and 8x8). Auto-Keras 0.3 padded
     * every image by 4 pixels, half of an 8x8 image; measured in bench:quality.
     */
    shift: 1 / 14,
    /**
     * Side of the cutout square as a fraction of the image's shorter side; 0: off. Auto-Keras 0.3 used
     * 0.5, which erases a quarter of the image; off by default (bench:quality measured both).
     */
    cutoutRatio: 0,
    /**
     * Random horizontal flips. Off by default: a flip changes the label of digits, letters and
     * anything with a handedness, and the data cannot say so before training (bench:quality).
     */
    flip: false,
    /**
     * When a training run starts augmenting: `'plateau'` trains on the images as they are until the
     * validation loss has not improved for `augmentAfter` epochs (the run starts to overfit), then
     * augments to its end; `'always'` from the first batch. Augmentation slows fitting: the default CNN
     * trained 13-14 epochs scored 0.864 test accuracy without and 0.842 with 2-pixel shifts
     * (bench:recipe, Fashion-MNIST 6,000 images), so it is turned on only when validation asks for it.
     */
    augmentStart: 'plateau' as 'plateau' | 'always',
    /** Epochs without a better validation loss after which a `'plateau'` run starts augmenting. */
    augmentAfter: 2,
    /** The batch size is lowered until an epoch has at least this many batches (small data). */
    minBatchesPerEpoch: 10,
    /** Smallest batch size the adaptation goes down to. */
    minBatchSize: 8,
    /** Images the CSV loader decodes at once. */
    decodeConcurrency: 8,
    /**
     * Largest `[height, width]` images are resized to when no size is set (Auto-Keras 0.3: the median
     * size, capped at 128x128): in `fit` on images of mixed sizes or larger than this, and in the image
     * loaders. 2D images only.
     */
    maxImageSize: [128, 128] as readonly [number, number],
    /** Images per batch of `loadImageFolder(dir, { stream: true })` (AutoKeras `image_dataset_from_directory`: 32). */
    folderBatchSize: 32,
  },
  /**
   * The objective of a search when the `objective` option is not given: what the searcher's Gaussian
   * process models and the best trial is chosen by (Auto-Keras 0.3's metrics). Early stopping then
   * keeps the epoch of the lowest validation loss, as Keras's `EarlyStopping` does by default.
   */
  objective: {
    classification: 'accuracy' as const,
    regression: 'mse' as const,
  },
  /** Optimisers of the trainer (`src/train`). */
  optimizer: {
    name: 'adam' as 'adam' | 'sgd',
    /** SGD momentum (Auto-Keras 0.3: 0.9). */
    momentum: 0.9,
  },
  /** Layer hyper-parameters of generated and inserted layers. */
  layers: {
    batchNormEpsilon: 1e-3,
    /**
     * Weight of the old moving statistics per step. Keras's 0.99 needs thousands of steps to settle:
     * on a small data set (22 batches an epoch) the moving statistics still lag after several epochs
     * and validation sits at chance while the training loss falls. 0.9 is PyTorch's default (its
     * momentum 0.1), which Auto-Keras 0.3 used.
     */
    batchNormMomentum: 0.9,
  },
  /** Files and folders (src/persist). */
  persist: {
    /** Most bytes of one path component (NAME_MAX of Linux and macOS file systems). */
    maxNameBytes: 255,
    /** Most bytes of a whole path, resolved (PATH_MAX of Linux, less the terminating NUL). */
    maxPathBytes: 4095,
    /**
     * Seconds after which a leftover temporary file of an atomic write (`.<name>.<pid>.<n>.tmp`) is
     * removed when its folder is opened even if a process with its pid is alive (pids are reused);
     * one of a dead pid is removed at once.
     */
    staleTempSeconds: 3600,
  },
  /** Structured data (rows and columns; `src/data/rows.ts`, StructuredDataClassifier / StructuredDataRegressor). */
  structured: {
    /** Validation split of the structured tasks: small tables leave the default 8% a handful of rows to choose architectures on. */
    validationSplit: 0.2,
    /** Cell values that count as missing, besides null, undefined and NaN (compared after trimming). */
    missingTokens: ['', '?', 'NA'] as readonly string[],
    /** A non-numeric column is left out as identifier-like (or free text) when its distinct values are at least this share of its values... */
    identifierRatio: 0.9,
    /** ... and it has at least this many values (smaller tables keep such columns as categorical). */
    identifierMinRows: 20,
    /** Most categories of one categorical column; a column with more distinct values is left out, reported. */
    maxCategories: 100,
    /** Categories seen fewer times than this in training share the "unknown" slot (so the slot is trained). */
    minCategoryCount: 2,
    /** Mean words per value from which a left-out non-numeric column is reported as free text rather than an identifier. */
    freeTextWords: 3,
  },
  /** Text (`src/data/text.ts`, TextClassifier / TextRegressor, the text generators). */
  text: {
    /** Validation split of the text tasks (as the structured ones: the corpora are often small). */
    validationSplit: 0.2,
    /** Most ids of the vocabulary, the padding (0) and out-of-vocabulary (1) ids included; the most frequent tokens are kept. */
    maxVocabulary: 20000,
    /** Tokens seen fewer times than this in training map to the out-of-vocabulary id, so that id is trained on words the model never saw. */
    minTokenCount: 2,
    /**
     * Longest word n-gram of the vocabulary (1: words; 2: words, then word pairs). TF-IDF with word pairs
     * did no better than words alone on the sentiment sentences (BENCHMARKS.md, text), hence 1.
     */
    ngrams: 1,
    /** The sequence length is this percentile of the training texts' token counts (nearest rank)... */
    lengthPercentile: 0.95,
    /** ... and at most this many tokens (longer texts are truncated, shorter ones padded with id 0). */
    maxSequenceLength: 256,
    /** Width of the embeddings of the text CNN and of the bag-of-words network. */
    embeddingDim: 64,
    /** Filters of the text CNN's 1D convolutions. */
    cnnFilters: 64,
    /** Kernel size of the text CNN's 1D convolutions. */
    cnnKernel: 3,
    /** Conv blocks of the text CNN. */
    cnnBlocks: 1,
    /** Units of the text CNN's hidden dense layer. */
    cnnDenseUnits: 64,
    /** Dropout of the text generators (after the embedding and before the head). */
    dropout: 0.25,
    /**
     * Adam's learning rate of the text tasks (the image and structured ones use `train.learningRate`).
     * Averaged embeddings learn slowly at 2e-3: in a probe on the sentiment sentences (the bag of words
     * alone, 3 seeds each), 1e-2 reached its best validation epoch after 5-9 epochs instead of the
     * 30-epoch cap, and its test accuracy before finalFit rose from 0.783 to 0.800 (amazon) and from
     * 0.722 to 0.768 (imdb). The whole search's result did not change measurably (the text CNN alone
     * does a little worse at 1e-2); see BENCHMARKS.md, text.
     */
    learningRate: 1e-2,
  },
  /** tfjs backend selection (src/backend). */
  backend: {
    /** Order `selectBackend()` tries without a preference; the native peers count only when installed. */
    order: ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const,
  },
} as const;

/** The type of {@link DEFAULTS}. */
export type Defaults = typeof DEFAULTS;
