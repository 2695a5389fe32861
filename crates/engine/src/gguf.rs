//! Reads a GGUF header far enough to reject a bad file before mistral.rs sees it: wrong magic,
//! truncated data, unsupported quantization, unknown architecture. Every length read from the
//! file is checked against the file size, so a hostile header cannot make us allocate or loop.

use crate::error::EngineError;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

type Result<T> = std::result::Result<T, EngineError>;

/// What the header says, once it checks out.
#[derive(Debug, Clone, PartialEq)]
pub struct GgufSummary {
    pub architecture: String,
    pub tensor_count: u64,
    pub context_length: Option<u64>,
    /// Rows of the token embedding (`tokenizer.ggml.tokens` entries).
    pub vocab_size: Option<u64>,
    /// Transformer blocks (`<arch>.block_count`).
    pub block_count: Option<u64>,
    /// Bytes the header says the file must have.
    pub expected_len: u64,
    /// The tensor types in the file, each once, in order of first use ("Q4_K", "Q6_K", "F32").
    pub tensor_types: Vec<&'static str>,
}

/// (block size in elements, bytes per block, name, supported by candle 0.10)
fn ggml_type(t: u32) -> Option<(u64, u64, &'static str, bool)> {
    Some(match t {
        0 => (1, 4, "F32", true),
        1 => (1, 2, "F16", true),
        2 => (32, 18, "Q4_0", true),
        3 => (32, 20, "Q4_1", true),
        6 => (32, 22, "Q5_0", true),
        7 => (32, 24, "Q5_1", true),
        8 => (32, 34, "Q8_0", true),
        9 => (32, 36, "Q8_1", true),
        10 => (256, 84, "Q2_K", true),
        11 => (256, 110, "Q3_K", true),
        12 => (256, 144, "Q4_K", true),
        13 => (256, 176, "Q5_K", true),
        14 => (256, 210, "Q6_K", true),
        15 => (256, 292, "Q8_K", true),
        16 => (256, 66, "IQ2_XXS", false),
        17 => (256, 74, "IQ2_XS", false),
        18 => (256, 98, "IQ3_XXS", false),
        19 => (256, 50, "IQ1_S", false),
        20 => (32, 18, "IQ4_NL", false),
        21 => (256, 110, "IQ3_S", false),
        22 => (256, 82, "IQ2_S", false),
        23 => (256, 136, "IQ4_XS", false),
        24 => (1, 1, "I8", false),
        25 => (1, 2, "I16", false),
        26 => (1, 4, "I32", false),
        27 => (1, 8, "I64", false),
        28 => (1, 8, "F64", false),
        29 => (256, 56, "IQ1_M", false),
        30 => (1, 2, "BF16", true),
        _ => return None,
    })
}

struct Reader<'p, R> {
    r: R,
    len: u64,
    path: &'p Path,
}

impl<R: Read + Seek> Reader<'_, R> {
    fn bad(&self, reason: impl Into<String>) -> EngineError {
        EngineError::InvalidGguf { path: self.path.to_path_buf(), reason: reason.into() }
    }
    fn u32(&mut self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.r.read_exact(&mut b).map_err(|_| self.bad("header ends early"))?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.r.read_exact(&mut b).map_err(|_| self.bad("header ends early"))?;
        Ok(u64::from_le_bytes(b))
    }
    fn pos(&mut self) -> Result<u64> {
        self.r.stream_position().map_err(|e| self.bad(e.to_string()))
    }
    /// A count or length that must fit in what is left of the file.
    fn bounded(&mut self, n: u64, unit: u64) -> Result<u64> {
        let left = self.len.saturating_sub(self.pos()?);
        if n.saturating_mul(unit.max(1)) > left {
            return Err(self.bad(format!("header claims {n} items but the file ends first (truncated?)")));
        }
        Ok(n)
    }
    fn string(&mut self) -> Result<String> {
        let n = self.u64()?;
        let n = self.bounded(n, 1)?;
        let mut buf = vec![0u8; n as usize];
        self.r.read_exact(&mut buf).map_err(|_| self.bad("header ends early"))?;
        String::from_utf8(buf).map_err(|_| self.bad("a header string is not UTF-8"))
    }
    fn skip(&mut self, n: u64) -> Result<()> {
        let n = self.bounded(n, 1)?;
        self.r.seek(SeekFrom::Current(n as i64)).map_err(|e| self.bad(e.to_string()))?;
        Ok(())
    }
    /// Reads a metadata value; returns it as a number or string when it is a scalar we use.
    fn value(&mut self, ty: u32, depth: u8) -> Result<Value> {
        const SIZES: [(u32, u64); 10] =
            [(0, 1), (1, 1), (2, 2), (3, 2), (4, 4), (5, 4), (6, 4), (7, 1), (10, 8), (11, 8)];
        match ty {
            4 => Ok(Value::Num(self.u32()? as u64)),
            10 => Ok(Value::Num(self.u64()?)),
            8 => Ok(Value::Str(self.string()?)),
            12 => self.skip(8).map(|_| Value::Other),
            9 => {
                if depth > 2 {
                    return Err(self.bad("metadata arrays nest too deep"));
                }
                let item = self.u32()?;
                let n = self.u64()?;
                if let Some(&(_, size)) = SIZES.iter().find(|(t, _)| *t == item) {
                    self.skip(n.saturating_mul(size))?;
                } else if item == 12 {
                    self.skip(n.saturating_mul(8))?;
                } else {
                    let n = self.bounded(n, 8)?;
                    for _ in 0..n {
                        self.value(item, depth + 1)?;
                    }
                }
                Ok(Value::Other)
            }
            t => match SIZES.iter().find(|(s, _)| *s == t) {
                Some(&(_, size)) => self.skip(size).map(|_| Value::Other),
                None => Err(self.bad(format!("unknown metadata value type {t}"))),
            },
        }
    }
}

enum Value {
    Num(u64),
    Str(String),
    Other,
}

/// Checks a GGUF file's header against its size. A file that is not GGUF at all (and is not
/// named `.gguf`) is `NotAModel`; anything else wrong is `InvalidGguf`.
pub fn inspect(path: &Path) -> Result<GgufSummary> {
    let file = File::open(path).map_err(|e| EngineError::io(path, e))?;
    let len = file.metadata().map_err(|e| EngineError::io(path, e))?.len();
    let mut r = Reader { r: BufReader::new(file), len, path };
    let gguf_name = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gguf"));
    let mut magic = [0u8; 4];
    let read = r.r.read_exact(&mut magic);
    if read.is_err() || &magic != b"GGUF" {
        if !gguf_name {
            return Err(EngineError::NotAModel {
                path: path.to_path_buf(),
                reason: "is neither a model folder nor a .gguf file".into(),
            });
        }
        return Err(r.bad(if read.is_err() {
            "file is too short to be GGUF"
        } else {
            "not a GGUF file (bad magic bytes)"
        }));
    }
    let version = r.u32()?;
    if !(2..=3).contains(&version) {
        return Err(r.bad(format!("GGUF version {version} is not supported (2 or 3 expected)")));
    }
    let tensor_count = r.u64()?;
    let tensor_count = r.bounded(tensor_count, 24)?;
    let kv_count = r.u64()?;
    let kv_count = r.bounded(kv_count, 12)?;

    let (mut architecture, mut alignment, mut ctx_key, mut ctx) = (None, 32u64, None::<String>, None);
    let mut vocab_size = None;
    let mut contexts = Vec::new();
    for _ in 0..kv_count {
        let key = r.string()?;
        let ty = r.u32()?;
        if key == "tokenizer.ggml.tokens" && ty == 9 {
            // Peek at the array's length, then skip it as usual.
            let at = r.pos()?;
            let _item = r.u32()?;
            vocab_size = Some(r.u64()?);
            r.r.seek(SeekFrom::Start(at)).map_err(|e| r.bad(e.to_string()))?;
        }
        match (key.as_str(), r.value(ty, 0)?) {
            ("general.architecture", Value::Str(a)) => {
                ctx_key = Some(format!("{a}.context_length"));
                architecture = Some(a);
            }
            ("general.alignment", Value::Num(n)) => alignment = n,
            (k, Value::Num(n)) if k.ends_with(".context_length") || k.ends_with(".block_count") => {
                contexts.push((k.to_string(), n))
            }
            _ => {}
        }
    }
    // Keys are namespaced by the architecture, which may come after them in the header.
    let arch_value = |suffix: &str| {
        let arch = ctx_key.as_deref()?.strip_suffix(".context_length")?;
        contexts.iter().find(|(key, _)| *key == format!("{arch}.{suffix}")).map(|(_, n)| *n)
    };
    if ctx_key.is_some() {
        ctx = arch_value("context_length");
    }
    let block_count = arch_value("block_count");
    if alignment == 0 || !alignment.is_power_of_two() {
        return Err(r.bad(format!("invalid alignment {alignment}")));
    }

    let mut data_end = 0u64;
    let mut tensor_types: Vec<&'static str> = Vec::new();
    for _ in 0..tensor_count {
        let name = r.string()?;
        let dims = r.u32()?;
        if dims > 8 {
            return Err(r.bad(format!("tensor {name} has {dims} dimensions")));
        }
        let mut elems = 1u64;
        for _ in 0..dims {
            elems = elems.checked_mul(r.u64()?).ok_or_else(|| r.bad("tensor size overflows"))?;
        }
        let ty = r.u32()?;
        let (block, bytes, tname, supported) =
            ggml_type(ty).ok_or_else(|| r.bad(format!("tensor {name} has unknown type {ty}")))?;
        if !supported {
            return Err(r.bad(format!(
                "tensor {name} uses {tname}, which this engine cannot run; use a Q4_K_M, Q5_K_M, Q6_K or Q8_0 file"
            )));
        }
        if !tensor_types.contains(&tname) {
            tensor_types.push(tname);
        }
        let offset = r.u64()?;
        let size = elems.div_ceil(block).checked_mul(bytes).ok_or_else(|| r.bad("tensor size overflows"))?;
        data_end = data_end.max(offset.checked_add(size).ok_or_else(|| r.bad("tensor offset overflows"))?);
    }
    let header_end = r.pos()?;
    let data_start = header_end.div_ceil(alignment) * alignment;
    let expected_len = data_start + data_end;
    if len < expected_len {
        return Err(r.bad(format!(
            "file is truncated: {len} bytes on disk, the header needs {expected_len} (incomplete download?)"
        )));
    }
    let architecture = architecture.ok_or_else(|| r.bad("no general.architecture in the header"))?;
    Ok(GgufSummary {
        architecture,
        tensor_count,
        context_length: ctx,
        vocab_size,
        block_count,
        expected_len,
        tensor_types,
    })
}
