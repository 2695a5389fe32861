//! Words that put a symptom outside the present person's present: a school project, a
//! hypothetical, a question about what signs mean, a first-aid kit, long ago, a relative's
//! history. A framed mention stays below emergency. "Now", "again", "already", "but" and "刚才"
//! end a frame, so "my dad had a heart attack years ago and now has crushing chest pain" still
//! counts; understatement ("probably nothing", "can it wait") is never a frame.

use super::text::{sentence_end, sentence_start};
use regex::Regex;
use std::sync::LazyLock;

static FRAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:school|class|college|uni|university|homework)\s+(?:project|assignment|essay|report|presentation)|(?:project|essay|paper|thesis|dissertation|presentation|article|leaflet|poster)\s+(?:on|about)",
        r"|hypothetical\w*|what\s+(?:would|could)\s+happen\s+if|what\s+happens\s+if|what\s+if\s+someone|if\s+someone\s+(?:ever\s+)?(?:took|had|swallowed)|in\s+theory",
        r"|what\s+(?:are|is)\s+the\s+(?:\w+\s+)?(?:signs?|symptoms?)|(?:warning\s+)?signs?\s+(?:to|should)\s+(?:look|watch)|how\s+(?:do|can|would|should)\s+(?:you|i|we|one|people)\s+(?:know|tell|recogni[sz]e|spot|support)",
        r"|first[\s-]aid\s+(?:kit|course|class|box|training)|what\s+does\s+\S+(?:\s+\S+)?\s+mean|meaning\s+of|medical\s+drama|crime\s+drama|\bnovel\b|\bmovie\b|\bfilm\b|tv\s+show",
        r"|family\s+history|runs\s+in\s+(?:the|my|our)\s+family|(?:died|passed\s+away)\s+(?:of|from)|(?:\d+|a\s+few|several|many|two|ten|twenty)\s+(?:years?|yrs?)\s+ago|years\s+back",
        r"|when\s+i\s+was\s+(?:a\s+)?(?:teen\w*|kid|child|younger|little|at\s+school|in\s+(?:school|college|uni))|as\s+a\s+(?:teen\w*|kid|child)|back\s+in\s+(?:19|20)\d\d",
        r"|(?:haven'?t|hasn'?t|not)\s+(?:\w+\s+)?in\s+(?:over\s+)?(?:\d+|a\s+few|many|several)\s+years|used\s+to\s+(?:self|cut|harm|hurt)|previous\s+attempts?|last\s+(?:year|month|summer|winter)",
        r"|if\s+i\s+ever|what\s+(?:should|do)\s+i\s+do\s+if|in\s+case\s+(?:i|he|she|it|of)|want\s+to\s+be\s+prepared",
        r"|fiction|\bpoem\b|assignment|story\s+(?:about|for)|for\s+(?:english|class|school)|lesson|awareness|suicide\s+prevention|workshop|(?:in|back\s+in)\s+(?:19|20)\d\d\b",
        r"|can\s+(?:you|i|he|she|we)\s+(?:drive|fly|swim|work|drink)|how\s+(?:do|should|can)\s+i\s+(?:store|keep|childproof)|when\s+i\s+was\s+\d{1,2}\b|brain\s+freeze",
        r"|what\s+should\s+i\s+(?:put|pack|keep|buy|have)|where\s+do\s+(?:people|you|i)\s+keep|babyproof\w*|childproof\w*|要是|提前了解|多少度算|算(?:不算)?发烧|去年|有过一次|(?:咋|怎么)预防|前几年|那时候|那段时间|最严重的时候|想过|心理课|手抄报|宣传|预防(?:自杀|自伤)|心理健康周|讲座|怎么跟(?:\w{0,4})讲|应该怎么|怎么(?:收纳|存放|保存|预防)|如何(?:预防|收纳|存放)",
        r"|作业|论文|课题|科普|研究|演讲|报告|假如|万一|如果(?:有人|孩子|我)|急救箱|急救包|家族史|遗传|(?:\d+|几|[一二三四五六七八九十]+)年前|小时候|初中|高中(?:的时候)?|那会儿|既往史|病史",
        r"|电视剧|电影|小说|是什么意思|有哪些(?:\w{0,4})?(?:症状|信号|表现)|什么(?:症状|表现)|怎么(?:判断|识别|区分)|会怎么样|吃多少会"
    ))
    .unwrap()
});

/// What ends a frame: the present, again, already, a turn.
static PRESENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:now|right\s+now|just\s+now|currently|today|tonight|this\s+(?:morning|afternoon|evening)|again|already|but|however|since\s+(?:this|last)|at\s+the\s+moment|while|suddenly|started)\b",
        r"|\bactually\b|现在|今天|今晚|刚才|刚刚|又|已经|但是|可是|不过|目前|这会儿|其实"
    ))
    .unwrap()
});

/// Is the mention at `start..end` framed as not happening to someone now?
pub(crate) fn is_framed(text: &str, start: usize, end: usize) -> bool {
    let s = sentence_start(text, start);
    let e = sentence_end(text, end);
    // From the last present-tense turn before the mention to the first one after it: "I
    // self-harmed when I was a teenager", "what does thunderclap headache mean".
    let before = &text[s..start];
    let from = s + PRESENT.find_iter(before).last().map_or(0, |m| m.end());
    let after = &text[end..e];
    let to = end + PRESENT.find(after).map_or(after.len(), |m| m.start());
    FRAME.is_match(&text[from..to])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::text::normalize;

    fn framed(text: &str, word: &str) -> bool {
        let t = normalize(text);
        let i = t.find(word).unwrap();
        is_framed(&t, i, i + word.len())
    }

    #[test]
    fn frames_and_the_present() {
        assert!(framed("For my school project on suicide prevention, what signs?", "suicide"));
        assert!(framed("I self-harmed when I was a teenager, now 30", "self-harmed"));
        assert!(framed("tried to kill myself back in 2009, been well since", "kill myself"));
        assert!(framed("十年前自杀未遂过一次 现在早就好了", "自杀"));
        assert!(!framed("my dad had a heart attack years ago and now has crushing chest pain", "crushing"));
        assert!(!framed("just asking the max dose because i already took about 30", "took about 30"));
        assert!(!framed("probably nothing but my chest hurts", "chest"));
        assert!(!framed("我爸以前心梗过 现在他又说胸口压得慌", "胸口"));
    }
}
