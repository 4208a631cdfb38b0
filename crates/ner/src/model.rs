//! The trained model and its file format.
//!
//! # File format (version 3)
//!
//! ```text
//! 0..8    magic "CDNER03\n"
//! 8..16   xxh3-64 of the compressed payload, little-endian
//! 16..    LZ4 block, after its uncompressed size (u32, little-endian), of the payload,
//!         all integers little-endian:
//!           u32 n_labels (= 17)             BILOU labels as in `label.rs`
//!           u32 n_stages (1 or 2), then per stage:
//!             f32 scale                       weight = stored value / scale
//!             (1 + n_labels) × n_labels × i32 transitions, row 0 = sentence start
//!             u32 n_features
//!             n_features × u64                feature hashes, strictly ascending
//!             n_features × n_labels × i16     quantised weights, row per feature
//!           u32 n_phrases
//!           n_phrases × (u64 hash, 4 × u32) gazetteer phrases, per-type counts
//!           u32 n_prefixes
//!           n_prefixes × u64                gazetteer phrase prefixes
//! ```
//!
//! Version 2 (magic "CDNER02\n") is the same payload compressed with zlib; it is still read.
//! LZ4 makes the file a fifth larger and decompresses it several times faster: loading the
//! default model is on the path of every run's first article.
//!
//! Features missing from the table weigh zero, so pruning a feature only removes its row.

use std::io::Read;

use flate2::read::ZlibDecoder;
use xxhash_rust::xxh3::xxh3_64;

use crate::decode::Transitions;
use crate::features::FeatureBuf;
use crate::gazetteer::Gazetteer;
use crate::label::N_LABELS;

const MAGIC: &[u8; 8] = b"CDNER03\n";
/// The magic of version 2, whose payload is zlib-compressed.
const MAGIC_ZLIB: &[u8; 8] = b"CDNER02\n";
pub(crate) const MAX_STAGES: usize = 2;
/// Refuse payloads that would decompress beyond this: a corrupt length must not
/// exhaust memory.
const MAX_PAYLOAD_BYTES: u64 = 512 << 20;

/// Why model bytes could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a copydesk ner model (bad magic bytes)")]
    BadMagic,
    #[error("model checksum mismatch: the file is corrupt")]
    Checksum,
    #[error("model payload does not decompress: {0}")]
    Decompress(String),
    #[error("model payload ends early (wanted {wanted} more bytes at offset {offset})")]
    Truncated { offset: usize, wanted: usize },
    #[error("model has {found} labels, this build expects {expected}")]
    LabelCount { found: u32, expected: u32 },
    #[error("model has {0} stages, expected 1 or 2")]
    StageCount(u32),
    #[error("model feature hashes are not strictly ascending")]
    UnsortedFeatures,
    #[error("model has {0} trailing bytes")]
    TrailingBytes(usize),
}

/// The weights of every stage in one open-addressing hash table keyed by feature hash:
/// both stages share most features, so one probe serves both, which halves the memory
/// traffic that dominates tagging time.
#[derive(Clone, Default, Debug)]
pub(crate) struct FeatureTable {
    /// `rows[i][stage]` are the weights of one feature, one per label.
    rows: Vec<[[i16; N_LABELS]; MAX_STAGES]>,
    /// Linear probing; the key sits next to the row index so that a miss, the common
    /// case for rare words, costs one cache line.
    slots: Vec<Slot>,
    mask: usize,
    /// A key's first slot is its top bits ([`slot_of`]): the model's keys are sorted, so the
    /// table is built in one sweep over its slots instead of a cache miss per key.
    shift: u32,
    /// Unique per table built in this process (0 for the empty default), so that what was
    /// derived from one table ([`crate::memo::WordMemo`]) is not used with another.
    id: u64,
}

/// Tables are equal if they weigh every feature the same, whatever their ids.
impl PartialEq for FeatureTable {
    fn eq(&self, other: &FeatureTable) -> bool {
        self.rows == other.rows
            && self.slots == other.slots
            && self.mask == other.mask
            && self.shift == other.shift
    }
}

/// The scores of one token: one per label, per stage.
pub(crate) type Scores = [[i32; N_LABELS]; MAX_STAGES];

/// Adds `from` to `into`.
#[inline]
pub(crate) fn add_scores(into: &mut Scores, from: &Scores) {
    for stage in 0..MAX_STAGES {
        for label in 0..N_LABELS {
            into[stage][label] += from[stage][label];
        }
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
struct Slot {
    key: u64,
    /// Index into `rows`, or `u32::MAX` when the slot is empty.
    row: u32,
}

const EMPTY: Slot = Slot {
    key: 0,
    row: u32::MAX,
};

impl FeatureTable {
    /// The table of `stages`, each given as its keys and their rows, in order: at most
    /// [`MAX_STAGES`], of `n_keys` keys in all.
    fn new<S, I>(stages: S, n_keys: usize) -> FeatureTable
    where
        S: IntoIterator<Item = I>,
        I: Iterator<Item = (u64, [i16; N_LABELS])>,
    {
        let capacity = (n_keys * 2).next_power_of_two().max(16);
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut table = FeatureTable {
            rows: Vec::new(),
            slots: vec![EMPTY; capacity],
            mask: capacity - 1,
            shift: u64::BITS - capacity.trailing_zeros(),
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        // At most one row per key (fewer where the stages share keys): reserved up front,
        // the megabytes of rows are not copied over and over as they grow.
        table.rows.reserve(n_keys);
        for (stage_idx, stage) in stages.into_iter().enumerate().take(MAX_STAGES) {
            for (key, row) in stage {
                let mut slot = slot_of(key, table.shift);
                loop {
                    let entry = &mut table.slots[slot];
                    if entry.row == u32::MAX {
                        *entry = Slot {
                            key,
                            row: table.rows.len() as u32,
                        };
                        table.rows.push([[0; N_LABELS]; MAX_STAGES]);
                    }
                    if entry.key == key {
                        table.rows[entry.row as usize][stage_idx] = row;
                        break;
                    }
                    slot = (slot + 1) & table.mask;
                }
            }
        }
        table
    }

    /// The keys of stage `stage_idx` and their rows, by ascending key: every key whose row
    /// in that stage has a weight (a stage keeps no row of zeros: [`Stage::quantise`]).
    fn stage_rows(&self, stage_idx: usize) -> Vec<(u64, [i16; N_LABELS])> {
        let mut rows: Vec<(u64, [i16; N_LABELS])> = self
            .slots
            .iter()
            .filter_map(|slot| {
                let row = self.rows.get(slot.row as usize)?.get(stage_idx)?;
                row.iter()
                    .any(|&weight| weight != 0)
                    .then_some((slot.key, *row))
            })
            .collect();
        rows.sort_unstable_by_key(|(key, _)| *key);
        rows
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    /// The summed weights of `keys`, in every stage.
    pub fn score_keys(&self, keys: &[u64]) -> Scores {
        let mut scores = [[0; N_LABELS]; MAX_STAGES];
        for &key in keys {
            if let Some(rows) = self
                .row_index(key)
                .and_then(|row| self.rows.get(row as usize))
            {
                add_rows(rows, &mut scores);
            }
        }
        scores
    }

    /// The summed weights of each group of `keys`, in every stage: group `g` is
    /// `keys[ends[g - 1]..ends[g]]` (from 0 for the first) and its sum goes to `out[g]`.
    /// Every key's slot is requested before any is read, then every row: the look-ups no
    /// longer wait on one another's cache misses. `found` is scratch.
    pub fn score_key_groups(
        &self,
        keys: &[u64],
        ends: &[usize],
        found: &mut Vec<u32>,
        out: &mut [Scores],
    ) {
        for &key in keys {
            if let Some(slot) = self.slots.get(slot_of(key, self.shift)) {
                prefetch(slot);
            }
        }
        found.clear();
        found.extend(keys.iter().map(|&key| {
            let row = self.row_index(key).unwrap_or(u32::MAX);
            if let Some(rows) = self.rows.get(row as usize) {
                prefetch(rows);
            }
            row
        }));
        let mut start = 0;
        for (&end, sum) in ends.iter().zip(out) {
            *sum = [[0; N_LABELS]; MAX_STAGES];
            for &row in found.get(start..end).unwrap_or_default() {
                if let Some(rows) = self.rows.get(row as usize) {
                    add_rows(rows, sum);
                }
            }
            start = end;
        }
    }

    /// The index into `rows` of `key`, or `None` if the model does not weigh it.
    #[inline]
    fn row_index(&self, key: u64) -> Option<u32> {
        let mut slot = slot_of(key, self.shift);
        loop {
            let entry = self.slots.get(slot)?;
            if entry.row == u32::MAX {
                return None;
            }
            if entry.key == key {
                return Some(entry.row);
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Adds the weights of the features of every token of a document to that token's
    /// scores, for every stage: `scores[i]` gets the rows of `features.token(i)`.
    ///
    /// The table is several megabytes and most word features miss the cache, so tagging
    /// used to wait on one miss after another (the slot, then the row). Going over all the
    /// document's keys in two passes lets each load be requested some keys
    /// ([`SLOT_PREFETCH_AHEAD`], [`ROW_PREFETCH_AHEAD`]) before it is needed: the first pass
    /// finds the row of every key (into `found`), the second adds the rows up. Integer sums
    /// do not depend on order: the scores are those of adding each token's features one by
    /// one.
    pub fn add_document_scores(
        &self,
        features: &FeatureBuf,
        found: &mut Vec<u32>,
        scores: &mut [Scores],
    ) {
        let keys = &features.keys;
        found.clear();
        found.extend(keys.iter().enumerate().map(|(idx, &key)| {
            if let Some(slot) = keys
                .get(idx + SLOT_PREFETCH_AHEAD)
                .and_then(|&ahead| self.slots.get(slot_of(ahead, self.shift)))
            {
                prefetch(slot);
            }
            self.row_index(key).unwrap_or(u32::MAX)
        }));
        for (token, token_scores) in scores.iter_mut().enumerate() {
            let (Some(&start), Some(&end)) =
                (features.offsets.get(token), features.offsets.get(token + 1))
            else {
                continue;
            };
            // Summed in a local copy: through the `&mut` into `scores` the compiler
            // could not prove the rows do not alias it, and added them one by one.
            let mut sum = *token_scores;
            for idx in start..end {
                if let Some(ahead) = found
                    .get(idx + ROW_PREFETCH_AHEAD)
                    .and_then(|&row| self.rows.get(row as usize))
                {
                    prefetch(ahead);
                }
                if let Some(rows) = found.get(idx).and_then(|&row| self.rows.get(row as usize)) {
                    add_rows(rows, &mut sum);
                }
            }
            *token_scores = sum;
        }
    }
}

/// How many keys ahead of its use a slot is prefetched. Finding a row takes only a few
/// instructions, so this must be far ahead to cover a miss to memory.
const SLOT_PREFETCH_AHEAD: usize = 32;
/// How many keys ahead of its use a row is prefetched (adding a row takes longer).
const ROW_PREFETCH_AHEAD: usize = 8;

/// Adds one feature's weights for every stage to `scores`.
#[inline(always)]
fn add_rows(rows: &[[i16; N_LABELS]; MAX_STAGES], scores: &mut Scores) {
    // i32 cannot overflow: a token has fewer than 100 features of at most 2^15 each.
    // Constant bounds: no checks, and the compiler widens and adds eight at a time.
    for stage in 0..MAX_STAGES {
        for label in 0..N_LABELS {
            scores[stage][label] += i32::from(rows[stage][label]);
        }
    }
}

/// Asks the CPU to start loading the cache lines of `item` (a hint: it never faults and
/// changes nothing but timing). A row is 68 bytes, so it may straddle two lines.
#[inline(always)]
fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let first = (item as *const T).cast::<i8>();
        let last = first.wrapping_add(size_of::<T>() - 1);
        // SAFETY: `_mm_prefetch` is a hint that does not access memory architecturally,
        // so it is sound for any address; both addresses lie within `item` anyway.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(first);
            _mm_prefetch::<_MM_HINT_T0>(last);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

/// [`prefetch`] for every cache line of `item`.
#[inline(always)]
pub(crate) fn prefetch_all<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let first = (item as *const T).cast::<i8>();
        for offset in (0..size_of::<T>()).step_by(64) {
            // SAFETY: as in `prefetch`: a hint, at an address within `item`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(first.wrapping_add(offset)) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

#[inline]
fn slot_of(key: u64, shift: u32) -> usize {
    // Feature keys are already mixed; any bits will do, and the top ones keep their order.
    (key >> shift) as usize
}

/// One tagging pass: weights, transitions and the scale of both.
#[derive(Clone, Default, PartialEq, Debug)]
pub(crate) struct Stage {
    pub scale: f32,
    pub transitions: Transitions,
    /// Feature hashes, strictly ascending.
    pub keys: Vec<u64>,
    /// `rows[i]` are the weights of `keys[i]`, one per label.
    pub rows: Vec<[i16; N_LABELS]>,
}

impl Stage {
    /// Quantises trained weights. `features` holds (hash, weights) pairs in any order.
    pub fn quantise(
        mut features: Vec<(u64, [f32; N_LABELS])>,
        transitions: &[[f32; N_LABELS]; N_LABELS + 1],
        prune_below: f32,
    ) -> Stage {
        let max_abs = features
            .iter()
            .flat_map(|(_, row)| row.iter())
            .chain(transitions.iter().flatten())
            .fold(0f32, |max, weight| max.max(weight.abs()));
        let scale = if max_abs > 0.0 {
            32000.0 / max_abs
        } else {
            1.0
        };
        features.retain(|(_, row)| row.iter().any(|weight| weight.abs() >= prune_below));
        features.sort_unstable_by_key(|(key, _)| *key);
        features.dedup_by_key(|(key, _)| *key);
        let mut keys = Vec::with_capacity(features.len());
        let mut rows = Vec::with_capacity(features.len());
        for (key, row) in &features {
            let quantised = row.map(|weight| (weight * scale).round() as i16);
            if quantised.iter().all(|&weight| weight == 0) {
                continue;
            }
            keys.push(*key);
            rows.push(quantised);
        }
        let mut quantised_transitions = [[0i64; N_LABELS]; N_LABELS + 1];
        for (row, source) in quantised_transitions.iter_mut().zip(transitions) {
            for (weight, &value) in row.iter_mut().zip(source) {
                *weight = (value * scale).round() as i64;
            }
        }
        Stage {
            scale,
            transitions: quantised_transitions,
            keys,
            rows,
        }
    }

    /// What a model keeps of the stage once its weights are in the table.
    fn head(&self) -> StageHead {
        StageHead {
            scale: self.scale,
            transitions: self.transitions,
        }
    }
}

/// A stage's scale and transitions; its weights are in the model's [`FeatureTable`].
#[derive(Clone, Default, PartialEq, Debug)]
pub(crate) struct StageHead {
    pub scale: f32,
    pub transitions: Transitions,
}

impl StageHead {
    fn write(&self, rows: &[(u64, [i16; N_LABELS])], payload: &mut Vec<u8>) {
        payload.extend_from_slice(&self.scale.to_le_bytes());
        for &weight in self.transitions.iter().flatten() {
            payload.extend_from_slice(
                &(weight.clamp(i32::MIN.into(), i32::MAX.into()) as i32).to_le_bytes(),
            );
        }
        put_u32(payload, rows.len() as u32);
        for (key, _) in rows {
            payload.extend_from_slice(&key.to_le_bytes());
        }
        for weight in rows.iter().flat_map(|(_, row)| row) {
            payload.extend_from_slice(&weight.to_le_bytes());
        }
    }

    /// A stage's head, and its keys and rows as stored (checked: the keys ascend).
    fn read<'a>(reader: &mut Reader<'a>) -> Result<(StageHead, StoredRows<'a>), ModelError> {
        let scale = f32::from_le_bytes(reader.array()?);
        let mut transitions = [[0i64; N_LABELS]; N_LABELS + 1];
        for weight in transitions.iter_mut().flatten() {
            *weight = i64::from(i32::from_le_bytes(reader.array()?));
        }
        let n_features = reader.u32()? as usize;
        let stored = StoredRows {
            keys: reader.take(n_features.saturating_mul(8))?,
            rows: reader.take(n_features.saturating_mul(2 * N_LABELS))?,
        };
        let mut keys = stored.keys();
        if let Some(mut previous) = keys.next() {
            for key in keys {
                if key <= previous {
                    return Err(ModelError::UnsortedFeatures);
                }
                previous = key;
            }
        }
        Ok((StageHead { scale, transitions }, stored))
    }
}

/// A stage's keys and rows as the file stores them: decoded straight into the table,
/// without a copy in between.
#[derive(Clone, Copy)]
struct StoredRows<'a> {
    keys: &'a [u8],
    rows: &'a [u8],
}

impl<'a> StoredRows<'a> {
    fn len(&self) -> usize {
        self.keys.len() / 8
    }

    fn keys(&self) -> impl Iterator<Item = u64> + 'a {
        self.keys
            .chunks_exact(8)
            .map(|bytes| u64::from_le_bytes(bytes_at(bytes, 0)))
    }

    fn iter(&self) -> impl Iterator<Item = (u64, [i16; N_LABELS])> + 'a {
        self.keys()
            .zip(self.rows.chunks_exact(2 * N_LABELS).map(|bytes| {
                std::array::from_fn(|label| i16::from_le_bytes(bytes_at(bytes, 2 * label)))
            }))
    }
}

/// Everything a [`crate::Tagger`] needs, in decoded form: one or two stages (the
/// second sees the first one's labels), their weights in one table, and the gazetteer.
#[derive(Clone, Default, PartialEq, Debug)]
pub(crate) struct Model {
    stages: Vec<StageHead>,
    /// Per stage, the number of weighted features.
    n_features: Vec<usize>,
    gazetteer: Gazetteer,
    table: FeatureTable,
}

impl Model {
    /// Builds a model from at most [`MAX_STAGES`] stages; further ones are dropped.
    pub fn new(mut stages: Vec<Stage>, gazetteer: Gazetteer) -> Model {
        stages.truncate(MAX_STAGES);
        let n_keys = stages.iter().map(|stage| stage.keys.len()).sum();
        let table = FeatureTable::new(
            stages
                .iter()
                .map(|stage| stage.keys.iter().copied().zip(stage.rows.iter().copied())),
            n_keys,
        );
        Model {
            n_features: stages.iter().map(|stage| stage.keys.len()).collect(),
            stages: stages.iter().map(Stage::head).collect(),
            gazetteer,
            table,
        }
    }

    pub fn stages(&self) -> &[StageHead] {
        &self.stages
    }

    /// The number of weighted features, over all stages.
    pub fn n_features(&self) -> usize {
        self.n_features.iter().sum()
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn table(&self) -> &FeatureTable {
        &self.table
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Vec::new();
        put_u32(&mut payload, N_LABELS as u32);
        put_u32(&mut payload, self.stages.len() as u32);
        for (stage_idx, stage) in self.stages.iter().enumerate() {
            stage.write(&self.table.stage_rows(stage_idx), &mut payload);
        }
        let mut phrases: Vec<_> = self.gazetteer.phrases.iter().collect();
        phrases.sort_unstable_by_key(|(key, _)| **key);
        put_u32(&mut payload, phrases.len() as u32);
        for (key, counts) in phrases {
            payload.extend_from_slice(&key.to_le_bytes());
            for count in counts {
                put_u32(&mut payload, *count);
            }
        }
        let mut prefixes: Vec<_> = self.gazetteer.prefixes.iter().copied().collect();
        prefixes.sort_unstable();
        put_u32(&mut payload, prefixes.len() as u32);
        for key in prefixes {
            payload.extend_from_slice(&key.to_le_bytes());
        }
        let compressed = lz4_flex::block::compress_prepend_size(&payload);
        let mut bytes = Vec::with_capacity(16 + compressed.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&xxh3_64(&compressed).to_le_bytes());
        bytes.extend_from_slice(&compressed);
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 16 {
            return Err(ModelError::BadMagic);
        }
        let zlib = match &bytes[..8] {
            magic if magic == MAGIC => false,
            magic if magic == MAGIC_ZLIB => true,
            _ => return Err(ModelError::BadMagic),
        };
        let mut checksum = [0u8; 8];
        checksum.copy_from_slice(&bytes[8..16]);
        let compressed = &bytes[16..];
        if xxh3_64(compressed) != u64::from_le_bytes(checksum) {
            return Err(ModelError::Checksum);
        }
        let payload = if zlib {
            let mut payload = Vec::new();
            ZlibDecoder::new(compressed)
                .take(MAX_PAYLOAD_BYTES)
                .read_to_end(&mut payload)
                .map_err(|err| ModelError::Decompress(err.to_string()))?;
            payload
        } else {
            let size = Reader {
                bytes: compressed,
                offset: 0,
            }
            .u32()?;
            if u64::from(size) > MAX_PAYLOAD_BYTES {
                return Err(ModelError::Decompress(format!(
                    "it claims {size} bytes, more than a model can have"
                )));
            }
            lz4_flex::block::decompress_size_prepended(compressed)
                .map_err(|err| ModelError::Decompress(err.to_string()))?
        };
        let mut reader = Reader {
            bytes: &payload,
            offset: 0,
        };
        let n_labels = reader.u32()?;
        if n_labels as usize != N_LABELS {
            return Err(ModelError::LabelCount {
                found: n_labels,
                expected: N_LABELS as u32,
            });
        }
        let n_stages = reader.u32()?;
        if !(1..=MAX_STAGES as u32).contains(&n_stages) {
            return Err(ModelError::StageCount(n_stages));
        }
        let mut stages = Vec::new();
        let mut stored = Vec::new();
        for _ in 0..n_stages {
            let (head, rows) = StageHead::read(&mut reader)?;
            stages.push(head);
            stored.push(rows);
        }
        let mut gazetteer = Gazetteer::default();
        let n_phrases = reader.u32()? as usize;
        let phrases = reader.take(n_phrases.saturating_mul(24))?;
        gazetteer.phrases.reserve(n_phrases);
        for phrase in phrases.chunks_exact(24) {
            let count = |at: usize| u32::from_le_bytes(bytes_at(phrase, at));
            gazetteer.phrases.insert(
                u64::from_le_bytes(bytes_at(phrase, 0)),
                [count(8), count(12), count(16), count(20)],
            );
        }
        let n_prefixes = reader.u32()? as usize;
        let prefixes = reader.take(n_prefixes.saturating_mul(8))?;
        gazetteer.prefixes.reserve(n_prefixes);
        for prefix in prefixes.chunks_exact(8) {
            gazetteer
                .prefixes
                .insert(u64::from_le_bytes(bytes_at(prefix, 0)));
        }
        if reader.offset != payload.len() {
            return Err(ModelError::TrailingBytes(payload.len() - reader.offset));
        }
        let n_features: Vec<usize> = stored.iter().map(StoredRows::len).collect();
        let table = FeatureTable::new(stored.iter().map(StoredRows::iter), n_features.iter().sum());
        Ok(Model {
            stages,
            n_features,
            gazetteer,
            table,
        })
    }
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// The `N` bytes at `at` in `bytes`, which the caller has checked holds them.
fn bytes_at<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    std::array::from_fn(|idx| bytes[at + idx])
}

struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn ensure(&self, wanted: usize) -> Result<(), ModelError> {
        if self.bytes.len().saturating_sub(self.offset) < wanted {
            return Err(ModelError::Truncated {
                offset: self.offset,
                wanted,
            });
        }
        Ok(())
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        self.ensure(n)?;
        let bytes = self.bytes;
        let taken = &bytes[self.offset..self.offset + n];
        self.offset += n;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        Ok(bytes_at(self.take(N)?, 0))
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
}
