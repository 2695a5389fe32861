//! Negation scope, in the spirit of NegEx: a symptom is denied when a negation cue ("no", "denies",
//! "without", "没有", "否认", "无") comes before it in the same clause, a few words away at most.
//! "But", "however", "但是" and "，" end the scope, so "no fever but chest pain radiating to my
//! arm" still counts the chest pain. Pseudo-negations ("not sure", "doesn't stop", "无明显诱因",
//! "不停") are not cues.

use super::text::{clause_start, sentence_end, words};
use regex::Regex;
use std::sync::LazyLock;

/// Most words allowed between an English cue and the symptom ("denies any recent chest pain").
const EN_WINDOW: usize = 6;
/// Most words in one comma-separated list item still under the cue ("no fever, cough, or rash").
const EN_LIST_ITEM: usize = 4;

static EN_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:no|not|never|without|denies|denied|deny|denying|negative\s+for|free\s+of|absence\s+of|none|nor|neither",
        r"|don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|hadn'?t|isn'?t|aren'?t|wasn'?t|weren'?t|ruled\s+out)\b"
    ))
    .unwrap()
});

/// What follows a cue that makes it no negation of a symptom: "not sure", "doesn't stop",
/// "no improvement", "without warning".
static EN_PSEUDO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(?:only|just|sure|certain|know|stop|go\s+away|going\s+away|gone\s+away|get\s+better|getting\s+better",
        r"|improv|help|work|relie|better|idea|matter|doubt|change|able|been\s+able|wake|waking|respond|fade|clear",
        r"|worse|end|way|warn|reason|cause|provocation|feeling\s+well|feel\s+well|normal|understand)"
    ))
    .unwrap()
});

/// After "never … symptom", these mean the symptom is here now and unusual: "never had a headache
/// like this".
static NEVER_PSEUDO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:like\s+(?:this|that|it)|this\s+(?:bad|severe|much|strong|intense)|so\s+(?:bad|severe|much))\b")
        .unwrap()
});

/// Words that open a new statement after a comma, ending the list a cue governs.
const EN_STARTERS: &[&str] = &[
    "i",
    "i'm",
    "im",
    "i've",
    "ive",
    "my",
    "he",
    "she",
    "they",
    "we",
    "it",
    "it's",
    "its",
    "his",
    "her",
    "their",
    "the",
    "this",
    "that",
    "but",
    "and",
    "now",
    "then",
    "also",
    "still",
    "suddenly",
    "today",
    "yesterday",
    "tonight",
    "since",
    "which",
    "who",
    "there",
];

const MODALS: &[&str] = &["can", "could", "will", "would", "may", "might", "must", "should"];

/// Chinese cues, each with the followers that make it a different word: "不停" (nonstop), "无力"
/// (weak), "无明显诱因" (without obvious cause), "未缓解" (not relieved).
const ZH_CUES: &[(&str, &[&str])] = &[
    ("没有", &["力气", "办法", "用", "好转", "精神", "胃口"]),
    ("否认", &[]),
    ("并无", &[]),
    ("从未", &[]),
    ("从来没", &[]),
    ("从没", &[]),
    ("不曾", &[]),
    ("未曾", &[]),
    ("不是", &[]),
    // "没有" has its own entry, with its own exceptions.
    ("没", &["有", "法", "办法", "力", "多久", "过多久", "事", "用", "完", "想到", "好", "精神", "胃口"]),
    ("无", &["力", "法", "助", "奈", "缘", "故", "聊", "数", "论", "关", "明显诱因", "诱因", "明显原因", "原因"]),
    ("未", &["知", "婚", "见好", "好转", "缓解", "减轻", "消退", "改善"]),
    (
        "不",
        &[
            "停", "止", "住", "了", "知道", "确定", "清", "舒服", "适", "好", "行", "能", "断", "得", "到", "多久",
            "用", "完", "久", "论", "明", "对", "正常", "醒", "省", "上", "下", "受", "敢", "然", "少", "错", "安",
            "规则", "同", "退",
        ],
    ),
];

/// Followers that undo any Chinese cue: "没有缓解" is "not relieved".
const ZH_PSEUDO_ALL: &[&str] = &["缓解", "好转", "减轻", "消退", "停止", "改善", "见好"];

/// Is the match at `start..end` in (normalised) `text` negated?
pub(crate) fn is_negated(text: &str, start: usize, end: usize) -> bool {
    let clause = clause_start(text, start);
    en_negated(text, clause, start, end) || zh_negated(text, clause, start)
}

fn en_negated(text: &str, clause: usize, start: usize, end: usize) -> bool {
    let prefix = &text[clause..start];
    let cues: Vec<_> = EN_CUE.find_iter(prefix).collect();
    for cue in cues.into_iter().rev() {
        let cue_end = clause + cue.end();
        let after = &text[cue_end..];
        // "No, I have…" is an answer, not a negation.
        if after.trim_start().starts_with([',', '!', '.']) || EN_PSEUDO.is_match(after) {
            continue;
        }
        if cue.as_str() == "not" {
            let before = words(&prefix[..cue.start()]).last().unwrap_or("");
            if MODALS.contains(&before) {
                continue; // "can not breathe"
            }
        }
        let between = &text[cue_end..start];
        if words(between).count() > EN_WINDOW {
            continue;
        }
        if between.contains(',') && !list_continues(text, cue_end, start) {
            continue;
        }
        // The match itself may hold the phrase: "headache like this, it came on suddenly".
        if cue.as_str() == "never" && NEVER_PSEUDO.is_match(&text[start..sentence_end(text, end)]) {
            continue;
        }
        return true;
    }
    false
}

/// Whether a negation carries across the commas between `from` and the match at `start`: each
/// comma-separated piece, the match's own included, must look like a short list item.
fn list_continues(text: &str, from: usize, start: usize) -> bool {
    let stop = sentence_end(text, start);
    let own_end = text[start..stop].find(',').map(|i| start + i).unwrap_or(stop);
    let span = &text[from..own_end];
    span.split(',').skip(1).all(|piece| {
        let w: Vec<&str> = words(piece).collect();
        w.len() <= EN_LIST_ITEM && w.first().is_none_or(|f| !EN_STARTERS.contains(f))
    })
}

fn zh_negated(text: &str, clause: usize, start: usize) -> bool {
    let prefix = &text[clause..start];
    for (cue, pseudo) in ZH_CUES {
        for (i, _) in prefix.match_indices(cue) {
            let cue_end = clause + i + cue.len();
            let after = &text[cue_end..];
            if pseudo.iter().chain(ZH_PSEUDO_ALL).any(|p| after.starts_with(p)) {
                continue;
            }
            let gap = text[cue_end..start].chars().count();
            let limit = if cue.chars().count() == 1 { 4 } else { 8 };
            if gap <= limit {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::is_negated;

    fn neg(text: &str, term: &str) -> bool {
        let start = text.find(term).unwrap_or_else(|| panic!("{term} not in {text}"));
        is_negated(text, start, start + term.len())
    }

    #[test]
    fn english_cues_and_scope() {
        assert!(neg("no chest pain", "chest pain"));
        assert!(neg("patient denies chest pain", "chest pain"));
        assert!(neg("i have a cough without shortness of breath", "shortness of breath"));
        assert!(neg("i'm not suicidal", "suicidal"));
        assert!(neg("i have never had chest pain", "chest pain"));
        assert!(neg("i do not have any chest pain", "chest pain"));
        assert!(neg("no fever, cough, or chest pain", "chest pain"));
        assert!(neg("denies chest pain, shortness of breath, sweating", "sweating"));
        assert!(!neg("no fever but chest pain radiating to my arm", "chest pain"));
        assert!(!neg("no fever, chest pain radiating to my arm", "chest pain"));
        assert!(!neg("no fever, i have chest pain", "chest pain"));
        assert!(!neg("no, i have chest pain", "chest pain"));
        assert!(!neg("i'm not sure but i have chest pain", "chest pain"));
        assert!(!neg("i can not breathe", "breathe"));
        assert!(!neg("i've never had a headache like this", "headache"));
        assert!(neg("never had a seizure in my life", "seizure"));
        assert!(!neg("no improvement in the chest pain", "chest pain"));
        assert!(!neg("no fever. chest pain now", "chest pain"));
        assert!(!neg(
            "not a single day without a lot of pain in my life and today i have really awful chest pain",
            "chest pain"
        ));
    }

    #[test]
    fn chinese_cues_and_scope() {
        assert!(neg("没有胸痛", "胸痛"));
        assert!(neg("无胸痛", "胸痛"));
        assert!(neg("否认胸痛、气短", "气短"));
        assert!(neg("我不想死", "想死"));
        assert!(neg("没有明显的胸痛", "胸痛"));
        assert!(!neg("没有发烧，但是胸痛", "胸痛"));
        assert!(!neg("没有发烧，胸痛", "胸痛"));
        assert!(!neg("无明显诱因出现胸痛", "胸痛"));
        assert!(!neg("四肢无力胸痛", "胸痛"));
        assert!(!neg("不停地呕血", "呕血"));
        assert!(!neg("胸痛没有缓解", "胸痛"));
        assert!(!neg("没有力气胸痛", "胸痛"));
    }
}
