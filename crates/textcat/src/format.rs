//! The binary model format, version 2.
//!
//! All integers and floats are little-endian.
//!
//! ```text
//! magic            8 bytes   b"TEXTCAT\0"
//! version          u16       2
//! hash_bits        u8        the hash table has 2^hash_bits buckets
//! word_ngrams      u8        1 = words, 2 = words and word pairs
//! char_ngram_min   u8        0 = no character n-grams
//! char_ngram_max   u8
//! char_weighting   u8        0 = per document, 1 = per word (`CharWeighting`)
//! temperature      f32       softmax temperature applied to the class scores
//! default_idf      f32       idf of a bucket that has no row
//! idf_min, idf_max f32, f32  range of the quantised idf values
//! n_classes        u16
//! n_classes times: label_len u16, label (UTF-8), bias f32, weight_scale f32
//! n_rows           u32
//! n_rows times, buckets strictly increasing:
//!     bucket       unsigned LEB128 of (bucket − previous bucket), the first row's of bucket itself
//!     idf          u16       idf = idf_min + q · (idf_max − idf_min) / 65535
//!     weights      n_classes × i8, weight = q · weight_scale of the class
//! ```
//!
//! Version 1 is the same without `char_weighting`: its models weigh n-grams per document, and
//! are still read. Nothing may follow the last row. 8-bit weights cost no measurable accuracy on the
//! evaluation sets (see `model/README.md`) and keep a four-class model about one byte per
//! class per bucket.

use crate::features::{CharWeighting, FeatureConfig};
use crate::{Error, Model, Parts};

const MAGIC: &[u8; 8] = b"TEXTCAT\0";
const VERSION: u16 = 2;

pub(crate) fn idf_range(idf: &[f32]) -> (f32, f32) {
    let min = idf.iter().copied().fold(f32::INFINITY, f32::min);
    let max = idf.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if min.is_finite() && max.is_finite() {
        (min, max)
    } else {
        (0.0, 0.0)
    }
}

pub(crate) fn quantise_idf(idf: f32, (min, max): (f32, f32)) -> u16 {
    if max <= min {
        0
    } else {
        ((idf - min) / (max - min) * 65535.0)
            .round()
            .clamp(0.0, 65535.0) as u16
    }
}

pub(crate) fn dequantise_idf(q: u16, (min, max): (f32, f32)) -> f32 {
    min + f32::from(q) * (max - min) / 65535.0
}

pub(crate) fn weight_scales(weights: &[f32], n_classes: usize) -> Vec<f32> {
    (0..n_classes)
        .map(|class_idx| {
            let max = weights
                .iter()
                .skip(class_idx)
                .step_by(n_classes.max(1))
                .fold(0.0f32, |m, w| m.max(w.abs()));
            if max > 0.0 { max / 127.0 } else { 1.0 }
        })
        .collect()
}

pub(crate) fn quantise_weight(weight: f32, scale: f32) -> i8 {
    (weight / scale).round().clamp(-127.0, 127.0) as i8
}

pub(crate) fn to_bytes(model: &Model) -> Vec<u8> {
    let n_classes = model.labels.len();
    let range = idf_range(&model.idf);
    let scales = weight_scales(&model.weights, n_classes);
    let mut out = Vec::with_capacity(64 + model.buckets.len() * (4 + n_classes));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let features = &model.features;
    out.extend_from_slice(&[
        features.hash_bits,
        features.word_ngrams,
        features.char_ngram_min,
        features.char_ngram_max,
        match features.char_weighting {
            CharWeighting::Document => 0,
            CharWeighting::Word => 1,
        },
    ]);
    for value in [model.temperature, model.default_idf, range.0, range.1] {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&(n_classes as u16).to_le_bytes());
    for (class_idx, label) in model.labels.iter().enumerate() {
        out.extend_from_slice(&(label.len() as u16).to_le_bytes());
        out.extend_from_slice(label.as_bytes());
        out.extend_from_slice(&model.bias[class_idx].to_le_bytes());
        out.extend_from_slice(&scales[class_idx].to_le_bytes());
    }
    out.extend_from_slice(&(model.buckets.len() as u32).to_le_bytes());
    let mut previous = 0u32;
    for (row_idx, &bucket) in model.buckets.iter().enumerate() {
        write_leb128(&mut out, bucket - previous);
        previous = bucket;
        out.extend_from_slice(&quantise_idf(model.idf[row_idx], range).to_le_bytes());
        let row = &model.weights[row_idx * n_classes..(row_idx + 1) * n_classes];
        out.extend(
            row.iter()
                .zip(&scales)
                .map(|(&w, &scale)| quantise_weight(w, scale) as u8),
        );
    }
    out
}

fn write_leb128(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .position
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or(Error::Truncated {
            offset: self.position,
        })?;
        let slice = &self.bytes[self.position..end];
        self.position = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, Error> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn f32(&mut self) -> Result<f32, Error> {
        let offset = self.position;
        let value = f32::from_le_bytes(self.array()?);
        if value.is_finite() {
            Ok(value)
        } else {
            Err(Error::Invalid {
                offset,
                reason: "non-finite number",
            })
        }
    }

    fn leb128(&mut self) -> Result<u32, Error> {
        let offset = self.position;
        let mut value = 0u32;
        for shift in (0..35).step_by(7) {
            let byte = self.u8()?;
            let bits = u32::from(byte & 0x7f);
            if shift == 28 && bits > 0x0f {
                break;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Error::Invalid {
            offset,
            reason: "bucket delta overflows 32 bits",
        })
    }
}

pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Model, Error> {
    let mut reader = Reader { bytes, position: 0 };
    if reader.take(MAGIC.len())? != MAGIC {
        return Err(Error::NotAModel);
    }
    let version = reader.u16()?;
    if !(1..=VERSION).contains(&version) {
        return Err(Error::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    let offset = reader.position;
    let features = FeatureConfig {
        hash_bits: reader.u8()?,
        word_ngrams: reader.u8()?,
        char_ngram_min: reader.u8()?,
        char_ngram_max: reader.u8()?,
        char_weighting: match version {
            1 => CharWeighting::Document,
            _ => match reader.u8()? {
                0 => CharWeighting::Document,
                1 => CharWeighting::Word,
                _ => {
                    return Err(Error::Invalid {
                        offset: reader.position - 1,
                        reason: "unknown character n-gram weighting",
                    });
                }
            },
        },
    };
    if !features.is_valid() {
        return Err(Error::Invalid {
            offset,
            reason: "feature settings out of range",
        });
    }
    let temperature = reader.f32()?;
    let default_idf = reader.f32()?;
    let range = (reader.f32()?, reader.f32()?);
    let offset = reader.position;
    let n_classes = usize::from(reader.u16()?);
    if n_classes == 0 {
        return Err(Error::Invalid {
            offset,
            reason: "model has no classes",
        });
    }
    let mut labels = Vec::with_capacity(n_classes);
    let mut bias = Vec::with_capacity(n_classes);
    let mut scales = Vec::with_capacity(n_classes);
    for _ in 0..n_classes {
        let length = usize::from(reader.u16()?);
        let offset = reader.position;
        let label = std::str::from_utf8(reader.take(length)?).map_err(|_| Error::Invalid {
            offset,
            reason: "label is not UTF-8",
        })?;
        labels.push(label.to_owned());
        bias.push(reader.f32()?);
        scales.push(reader.f32()?);
    }
    let n_rows = reader.u32()? as usize;
    let row_size = 3 + n_classes;
    if n_rows > (bytes.len() - reader.position) / row_size {
        return Err(Error::Truncated {
            offset: bytes.len(),
        });
    }
    let mut buckets = Vec::with_capacity(n_rows);
    let mut idf = Vec::with_capacity(n_rows);
    let mut weights = Vec::with_capacity(n_rows * n_classes);
    let mut previous: Option<u32> = None;
    for _ in 0..n_rows {
        let offset = reader.position;
        let delta = reader.leb128()?;
        let bucket = match previous {
            None => Some(delta),
            Some(previous) if delta > 0 => previous.checked_add(delta),
            Some(_) => None,
        };
        let bucket = bucket
            .filter(|&bucket| (bucket as usize) < features.n_buckets())
            .ok_or(Error::Invalid {
                offset,
                reason: "bucket out of order or out of range",
            })?;
        previous = Some(bucket);
        buckets.push(bucket);
        idf.push(dequantise_idf(reader.u16()?, range));
        for &scale in &scales {
            weights.push(f32::from(reader.u8()? as i8) * scale);
        }
    }
    if reader.position != bytes.len() {
        return Err(Error::Invalid {
            offset: reader.position,
            reason: "trailing bytes after the last row",
        });
    }
    Ok(Model::from_parts(Parts {
        features,
        labels,
        temperature,
        default_idf,
        bias,
        buckets,
        idf,
        weights,
    }))
}
