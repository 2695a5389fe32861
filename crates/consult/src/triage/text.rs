//! Text preparation and the sentence and clause boundaries that limit negation scope.

use crate::lang::is_han;
use regex::Regex;
use std::sync::LazyLock;

/// Lower case, straight apostrophes, ASCII for full-width digits, letters and the full-width
/// full stop ("３８．５度" reads as "38.5度"), simplified for the traditional characters of
/// symptoms and people ("頭痛" reads as "头痛"), and the pinyin slips people make for the words
/// that matter ("凶口" for 胸口, "雪压" for 血压). Chinese punctuation stays: it marks clauses.
pub(crate) fn normalize(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| match c {
            '’' | '‘' | '`' | '´' => '\'',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' | '／' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            c => simplified(c),
        })
        .flat_map(char::to_lowercase)
        .collect();
    if !s.chars().any(crate::lang::is_han) {
        return s;
    }
    HOMOPHONES.iter().fold(s, |s, (typed, meant)| if s.contains(typed) { s.replace(typed, meant) } else { s })
}

/// Pinyin-input slips for the words the rules read.
const HOMOPHONES: &[(&str, &str)] = &[
    ("凶口", "胸口"),
    ("雪压", "血压"),
    ("雪糖", "血糖"),
    ("雪氧", "血氧"),
    ("心耿", "心梗"),
    ("新耿", "心梗"),
    ("一岛素", "胰岛素"),
];

/// Traditional characters that appear in symptoms, readings and the people who have them.
fn simplified(c: char) -> char {
    match c {
        '頭' => '头',
        '劇' => '剧',
        '後' => '后',
        '說' => '说',
        '閨' => '闺',
        '兩' => '两',
        '顆' => '颗',
        '麼' => '么',
        '開' => '开',
        '竄' => '窜',
        '壓' => '压',
        '鐘' => '钟',
        '樣' => '样',
        '這' => '这',
        '個' => '个',
        '裡' => '里',
        '會' => '会',
        '發' => '发',
        '燒' => '烧',
        '嘔' => '呕',
        '氣' => '气',
        '過' => '过',
        '來' => '来',
        '還' => '还',
        '沒' => '没',
        '醫' => '医',
        '藥' => '药',
        '療' => '疗',
        '腦' => '脑',
        '臟' => '脏',
        '嚴' => '严',
        '覺' => '觉',
        '體' => '体',
        '溫' => '温',
        '燙' => '烫',
        '傷' => '伤',
        '電' => '电',
        '觸' => '触',
        '擊' => '击',
        '睪' => '睾',
        '腫' => '肿',
        '糞' => '粪',
        '濕' => '湿',
        '紅' => '红',
        '臉' => '脸',
        '話' => '话',
        '聽' => '听',
        '見' => '见',
        '視' => '视',
        '黃' => '黄',
        '緊' => '紧',
        '悶' => '闷',
        '懷' => '怀',
        '產' => '产',
        '婦' => '妇',
        '兒' => '儿',
        '寶' => '宝',
        '嬰' => '婴',
        '歲' => '岁',
        '爺' => '爷',
        '媽' => '妈',
        '孫' => '孙',
        '邊' => '边',
        '塊' => '块',
        '點' => '点',
        '們' => '们',
        '對' => '对',
        '膽' => '胆',
        '腸' => '肠',
        '癢' => '痒',
        '暈' => '晕',
        '厲' => '厉',
        '趕' => '赶',
        '總' => '总',
        '隻' => '只',
        '讓' => '让',
        '給' => '给',
        '嗎' => '吗',
        '應' => '应',
        '該' => '该',
        '樓' => '楼',
        '車' => '车',
        '線' => '线',
        '蟲' => '虫',
        '劑' => '剂',
        '針' => '针',
        '輸' => '输',
        '腳' => '脚',
        '摺' => '折',
        '斷' => '断',
        '癲' => '癫',
        '癇' => '痫',
        '驚' => '惊',
        '嚥' => '咽',
        '嚨' => '咙',
        '爐' => '炉',
        '熱' => '热',
        '曬' => '晒',
        '乾' => '干',
        '間' => '间',
        '盤' => '盘',
        '陰' => '阴',
        '劃' => '划',
        '殺' => '杀',
        '遺' => '遗',
        '書' => '书',
        '別' => '别',
        '絕' => '绝',
        '喪' => '丧',
        '憂' => '忧',
        '鬱' => '郁',
        '懼' => '惧',
        '驟' => '骤',
        '顫' => '颤',
        '歡' => '欢',
        '樂' => '乐',
        '貓' => '猫',
        '親' => '亲',
        '愛' => '爱',
        '鄰' => '邻',
        '學' => '学',
        '師' => '师',
        '護' => '护',
        c => c,
    }
}

fn is_sentence_end(text: &str, i: usize, c: char) -> bool {
    match c {
        '!' | '?' | ';' | '\n' | '。' | '！' | '？' | '；' => true,
        // "38.5" and "e.g.x" are not ends; "pain. Then" is.
        '.' => text[i + 1..].chars().next().is_none_or(char::is_whitespace),
        _ => false,
    }
}

/// Byte index where the sentence holding `pos` starts.
pub(crate) fn sentence_start(text: &str, pos: usize) -> usize {
    text[..pos]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_sentence_end(text, i, c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

/// Byte index where the sentence holding `pos` ends (exclusive).
pub(crate) fn sentence_end(text: &str, pos: usize) -> usize {
    text[pos..]
        .char_indices()
        .find(|&(i, c)| is_sentence_end(text, pos + i, c))
        .map(|(i, _)| pos + i)
        .unwrap_or(text.len())
}

static EN_TERMINATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:but|however|although|though|yet|except|apart\s+from|aside\s+from|other\s+than|besides|whereas|now|then|still",
        r"|and\s+(?:i|i'm|im|i've|my|now|then|it|it's|the|he|she|they|we|his|her|their|also|still))\b"
    ))
    .unwrap()
});

const ZH_TERMINATORS: &[&str] = &[
    "，", "但是", "但", "可是", "不过", "然而", "却", "只是", "而是", "现在", "目前", "后来", "突然", "今天", "昨天",
    "刚才", "又",
];

/// Byte index where the clause holding `pos` starts: after the last "but", "however", "但是",
/// "，" (and so on) between the sentence start and `pos`. An English comma is not a boundary here;
/// the negation check decides whether a list continues across it.
pub(crate) fn clause_start(text: &str, pos: usize) -> usize {
    let s = sentence_start(text, pos);
    let window = &text[s..pos];
    let mut start = s;
    if let Some(m) = EN_TERMINATOR.find_iter(window).last() {
        start = start.max(s + m.end());
    }
    for t in ZH_TERMINATORS {
        if let Some(i) = window.rfind(t) {
            start = start.max(s + i + t.len());
        }
    }
    // An ASCII comma next to Chinese text works like "，", and so does a space between two
    // Chinese characters: people type "今天突然不认人 说胡话" with spaces for commas.
    for (i, c) in window.char_indices().filter(|(_, c)| c.is_whitespace()) {
        let before = window[..i].chars().next_back();
        let after = window[i + c.len_utf8()..].chars().next();
        if before.is_some_and(is_han) && after.is_some_and(is_han) {
            start = start.max(s + i + c.len_utf8());
        }
    }
    for (i, _) in window.match_indices(',') {
        let before = window[..i].trim_end().chars().next_back();
        let after = window[i + 1..].trim_start().chars().next();
        if before.is_some_and(is_han) || after.is_some_and(is_han) {
            start = start.max(s + i + 1);
        }
    }
    start
}

/// Words (letters, digits, apostrophes) in `s`.
pub(crate) fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_quotes_and_full_width() {
        assert_eq!(normalize("I Can’t Breathe"), "i can't breathe");
        assert_eq!(normalize("体温３８．５度"), "体温38.5度");
    }

    #[test]
    fn sentences_and_clauses() {
        let t = "temp 38.5 today. no fever but chest pain";
        let pos = t.find("chest").unwrap();
        assert_eq!(&t[sentence_start(t, pos)..], " no fever but chest pain");
        assert_eq!(&t[clause_start(t, pos)..pos], " ");
        let t = "没有发烧，胸痛";
        let pos = t.find("胸痛").unwrap();
        assert_eq!(clause_start(t, pos), pos);
        assert_eq!(sentence_end("a b. c", 0), 3);
    }
}
