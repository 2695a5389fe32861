//! What an answer is stamped with, so a reader can tell later which model wrote it: the model's
//! name and its quantization (the engine's part; the app adds the prompt version).

use crate::load::ModelInfo;
use anamnesis_wire::Stats;

/// Quantization names as they appear in model file and folder names, longest first so that
/// "Q4_K_M" wins over "Q4_K" and "GPTQ-Int4" over "Int4".
const QUANTS: &[&str] = &[
    "GPTQ-INT4",
    "GPTQ-INT8",
    "IQ4_XS",
    "IQ4_NL",
    "IQ3_XXS",
    "IQ2_XXS",
    "Q4_K_M",
    "Q4_K_S",
    "Q5_K_M",
    "Q5_K_S",
    "Q3_K_M",
    "Q3_K_S",
    "Q3_K_L",
    "Q2_K",
    "Q4_K",
    "Q5_K",
    "Q6_K",
    "Q8_0",
    "Q4_0",
    "Q4_1",
    "Q5_0",
    "Q5_1",
    "AWQ",
    "FP8",
    "BF16",
    "F16",
    "F32",
];

impl ModelInfo {
    /// The quantization of the loaded weights: in-situ quantization if any, else the name's
    /// quantization token ("baichuan-m2-32b-gptq-int4" → "GPTQ-Int4"); None when neither says.
    pub fn quantization(&self) -> Option<String> {
        if let Some(isq) = &self.isq {
            return Some(format!("ISQ {isq}"));
        }
        let name = self.name.to_ascii_uppercase().replace('.', "_");
        let at = |q: &str| {
            name.match_indices(q).find(|(i, _)| {
                let before = name[..*i].chars().last();
                let after = name[i + q.len()..].chars().next();
                let edge = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
                edge(before) && edge(after)
            })
        };
        let q = QUANTS.iter().find(|q| at(q).is_some())?;
        Some(q.replace("GPTQ-INT", "GPTQ-Int"))
    }

    /// Writes the model's name and quantization into an answer's stats.
    pub fn stamp(&self, stats: &mut Stats) {
        stats.model = self.name.clone();
        stats.quantization = self.quantization();
    }
}

#[cfg(test)]
mod tests {
    use crate::load::ModelInfo;
    use crate::source::ModelFormat;

    fn named(name: &str, isq: Option<&str>) -> ModelInfo {
        ModelInfo {
            path: format!("/models/{name}"),
            name: name.into(),
            format: ModelFormat::Gguf,
            architecture: "qwen2".into(),
            device: "cpu".into(),
            on_cpu: true,
            context_length: None,
            load_s: 0.0,
            draft: None,
            notices: vec![],
            isq: isq.map(Into::into),
            layers: None,
        }
    }

    #[test]
    fn the_quantization_is_read_from_the_name_or_the_in_situ_quantization() {
        let q = |name: &str| named(name, None).quantization();
        assert_eq!(q("Baichuan-M2-32B-Q4_K_M.gguf").as_deref(), Some("Q4_K_M"));
        assert_eq!(q("baichuan-m2-32b-q4_k_m-gguf").as_deref(), Some("Q4_K_M"));
        assert_eq!(q("baichuan-m2-32b-gptq-int4").as_deref(), Some("GPTQ-Int4"));
        assert_eq!(q("qwen2.5-7b-instruct-q8_0.gguf").as_deref(), Some("Q8_0"));
        assert_eq!(q("model-f16.gguf").as_deref(), Some("F16"));
        assert_eq!(q("tiny-qwen3"), None);
        // Inside a word is not a token: "Qwen2_5" has no Q5_0-like part, "AWQful" no AWQ.
        assert_eq!(q("AWQful-model"), None);
        assert_eq!(named("tiny-qwen3", Some("Q4K")).quantization().as_deref(), Some("ISQ Q4K"));
    }
}
