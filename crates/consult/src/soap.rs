//! A consultation as a SOAP note in Markdown, to print or hand to a clinician. The disclaimer is
//! always there; the model's thinking only on request. User and model text can hold raw HTML, and
//! the note may be rendered, so `<` is neutralised everywhere.

use crate::answer::{parse_answer, SectionKind};
use crate::lang::Lang;
use crate::patient::PatientContext;
use crate::prompt::{format_age, format_number, pregnancy_label, sex_label};
use crate::sanitize::{collapse_ws, neutralize_html};
use crate::triage::{rule_ids, triage, TriageLevel};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const DISCLAIMER_EN: &str = "Anamnesis is not a doctor. It can be wrong. It does not replace professional medical advice, diagnosis or treatment. In an emergency call your local emergency number.";
pub const DISCLAIMER_ZH: &str =
    "Anamnesis 不是医生，可能会出错。它不能替代专业的医疗建议、诊断或治疗。紧急情况下请拨打当地急救电话。";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultationExport {
    pub title: String,
    /// RFC 3339, e.g. "2026-11-26T14:03:00+01:00".
    pub created_at: String,
    #[serde(default)]
    pub patient: PatientContext,
    #[serde(default)]
    pub chief_complaint: Option<String>,
    #[serde(default)]
    pub messages: Vec<ExportMessage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportRole {
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportMessage {
    pub role: ExportRole,
    pub content: String,
    /// The model's thinking for an assistant message, if it was kept.
    #[serde(default)]
    pub reasoning: Option<String>,
    /// Which model wrote an assistant message, when it was stamped.
    #[serde(default)]
    pub stamp: Option<AnswerStamp>,
    /// The names of the documents attached to a user message (their text stays out of the note).
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// The model, quantization and instructions version an answer was written with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AnswerStamp {
    pub model: String,
    pub quantization: Option<String>,
    pub prompt_version: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportOptions {
    pub include_reasoning: bool,
    pub lang: Lang,
}

struct L {
    untitled: &'static str,
    date: &'static str,
    disclaimer_label: &'static str,
    disclaimer: &'static str,
    s: &'static str,
    o: &'static str,
    a: &'static str,
    p: &'static str,
    complaint: &'static str,
    account: &'static str,
    attached: &'static str,
    no_account: &'static str,
    reported: &'static str,
    age: &'static str,
    sex: &'static str,
    weight: &'static str,
    pregnancy: &'static str,
    medications: &'static str,
    allergies: &'static str,
    conditions: &'static str,
    not_recorded: &'static str,
    none_recorded: &'static str,
    check: &'static str,
    levels: [&'static str; 3],
    no_assessment: &'static str,
    last_answer: &'static str,
    red_flags: &'static str,
    summary: &'static str,
    causes: &'static str,
    next_steps: &'static str,
    seek_care: &'static str,
    open_questions: &'static str,
    no_plan: &'static str,
    reasoning: &'static str,
    reasoning_note: &'static str,
    answer_n: &'static str,
    no_reasoning: &'static str,
    written_by: fn(&str, &str) -> String,
    list_sep: &'static str,
    colon: &'static str,
}

const EN: L = L {
    untitled: "Consultation",
    date: "Date",
    disclaimer_label: "Disclaimer",
    disclaimer: DISCLAIMER_EN,
    s: "S — Subjective",
    o: "O — Objective",
    a: "A — Assessment",
    p: "P — Plan",
    complaint: "Chief complaint",
    account: "In the patient's words",
    attached: "Documents attached",
    no_account: "No messages.",
    reported: "As reported by the user; not examined.",
    age: "Age",
    sex: "Sex",
    weight: "Weight",
    pregnancy: "Pregnancy",
    medications: "Medications",
    allergies: "Allergies",
    conditions: "Conditions",
    not_recorded: "Not recorded",
    none_recorded: "None recorded",
    check: "Automatic red-flag check",
    levels: ["routine", "urgent", "emergency"],
    no_assessment: "No assessment yet.",
    last_answer: "Last answer",
    red_flags: "Red flags",
    summary: "Summary",
    causes: "Most likely causes",
    next_steps: "Next steps",
    seek_care: "When to seek care",
    open_questions: "Open questions",
    no_plan: "No plan yet.",
    reasoning: "Reasoning (model's thinking trace)",
    reasoning_note: "Unverified: the model's own working notes, not checked by a clinician.",
    answer_n: "Answer",
    no_reasoning: "No reasoning was recorded.",
    written_by: |model, version| {
        format!("Answer written by {model}, under consultation instructions version {version}.")
    },
    list_sep: ", ",
    colon: ": ",
};

const ZH: L = L {
    untitled: "问诊记录",
    date: "日期",
    disclaimer_label: "免责声明",
    disclaimer: DISCLAIMER_ZH,
    s: "S — 主观资料",
    o: "O — 客观资料",
    a: "A — 评估",
    p: "P — 计划",
    complaint: "主诉",
    account: "患者自述",
    attached: "附带的文件",
    no_account: "没有消息。",
    reported: "由用户提供，未经查体核实。",
    age: "年龄",
    sex: "性别",
    weight: "体重",
    pregnancy: "妊娠状态",
    medications: "用药",
    allergies: "过敏",
    conditions: "基础疾病",
    not_recorded: "未记录",
    none_recorded: "无记录",
    check: "自动危险信号检查",
    levels: ["常规", "尽快就医", "紧急"],
    no_assessment: "暂无评估。",
    last_answer: "最近一次回答",
    red_flags: "危险信号",
    summary: "要点概述",
    causes: "最可能的原因",
    next_steps: "建议的下一步",
    seek_care: "何时就医",
    open_questions: "待回答的问题",
    no_plan: "暂无计划。",
    reasoning: "推理过程（模型的思考记录）",
    reasoning_note: "未经核实：这是模型自己的推理记录，没有经过医生审核。",
    answer_n: "回答",
    no_reasoning: "没有记录推理过程。",
    written_by: |model, version| format!("回答由 {model} 生成，问诊指令版本 {version}。"),
    list_sep: "、",
    colon: "：",
};

/// The consultation as a SOAP note in Markdown.
pub fn export_soap(c: &ConsultationExport, opts: &ExportOptions) -> String {
    let l = match opts.lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    };
    let mut out = String::new();
    let title = inline(&c.title);
    out.push_str(&format!("# {}\n\n", if title.is_empty() { l.untitled } else { &title }));
    out.push_str(&format!("{}{}{}\n\n", l.date, l.colon, format_date(&c.created_at)));
    out.push_str(&format!("> **{}{}** {}\n\n", l.disclaimer_label, l.colon.trim_end(), l.disclaimer));

    subjective(&mut out, l, c);
    objective(&mut out, l, opts.lang, &c.patient);
    let answer = c.messages.iter().rev().find(|m| m.role == ExportRole::Assistant).map(|m| parse_answer(&m.content));
    assessment(&mut out, l, c, answer.as_ref(), c.messages.iter().rev().find(|m| m.role == ExportRole::Assistant));
    plan(&mut out, l, answer.as_ref());
    if opts.include_reasoning {
        reasoning(&mut out, l, c);
    }
    out.trim_end().to_string() + "\n"
}

fn subjective(out: &mut String, l: &L, c: &ConsultationExport) {
    out.push_str(&format!("## {}\n\n", l.s));
    let complaint = c.chief_complaint.as_deref().map(inline).filter(|s| !s.is_empty());
    out.push_str(&format!(
        "**{}{}** {}\n\n",
        l.complaint,
        l.colon.trim_end(),
        complaint.as_deref().unwrap_or(l.not_recorded)
    ));
    out.push_str(&format!("**{}{}**\n\n", l.account, l.colon.trim_end()));
    let users: Vec<&ExportMessage> =
        c.messages.iter().filter(|m| m.role == ExportRole::User && !m.content.trim().is_empty()).collect();
    if users.is_empty() {
        out.push_str(&format!("{}\n\n", l.no_account));
    }
    for m in users {
        out.push_str(&quote(&m.content));
        out.push_str("\n\n");
        let names: Vec<String> = m.attachments.iter().map(|n| inline(n)).filter(|n| !n.is_empty()).collect();
        if !names.is_empty() {
            out.push_str(&format!("*{}{}{}*\n\n", l.attached, l.colon, names.join(l.list_sep)));
        }
    }
}

fn objective(out: &mut String, l: &L, lang: Lang, p: &PatientContext) {
    out.push_str(&format!("## {}\n\n*{}*\n\n", l.o, l.reported));
    let scalar = |v: Option<String>| v.unwrap_or_else(|| l.not_recorded.to_string());
    let list = |items: &[String]| {
        let items: Vec<String> = items.iter().map(|s| inline(s)).filter(|s| !s.is_empty()).collect();
        if items.is_empty() {
            l.none_recorded.to_string()
        } else {
            items.join(l.list_sep)
        }
    };
    let rows = [
        (l.age, scalar(p.age_years.filter(|a| a.is_finite()).map(|a| format_age(lang, a)))),
        (l.sex, scalar(p.sex.map(|s| sex_label(lang, s).to_string()))),
        (l.weight, scalar(p.weight_kg.filter(|w| w.is_finite()).map(|w| format!("{} kg", format_number(w))))),
        (l.pregnancy, scalar(p.pregnancy.map(|x| pregnancy_label(lang, x)))),
        (l.medications, list(&p.medications)),
        (l.allergies, list(&p.allergies)),
        (l.conditions, list(&p.conditions)),
    ];
    for (label, value) in rows {
        out.push_str(&format!("- {label}{}{value}\n", l.colon));
    }
    out.push('\n');
}

fn assessment(
    out: &mut String,
    l: &L,
    c: &ConsultationExport,
    answer: Option<&crate::ParsedAnswer>,
    last: Option<&ExportMessage>,
) {
    out.push_str(&format!("## {}\n\n", l.a));
    if let Some(line) = triage_line(l, c) {
        out.push_str(&line);
        out.push_str("\n\n");
    }
    let Some(answer) = answer else {
        out.push_str(&format!("{}\n\n", l.no_assessment));
        return;
    };

    if !answer.structured {
        let text = neutralize_html(crate::markdown::strip_think(last.map(|m| m.content.as_str()).unwrap_or("")).trim());
        if text.is_empty() {
            out.push_str(&format!("{}\n\n", l.no_assessment));
        } else {
            out.push_str(&format!("### {}\n\n{}\n\n", l.last_answer, text));
            stamp_line(out, l, last);
        }
        return;
    }
    let fixed =
        [(SectionKind::RedFlags, l.red_flags), (SectionKind::Summary, l.summary), (SectionKind::Causes, l.causes)];
    for (kind, title) in fixed {
        for s in answer.sections.iter().filter(|s| s.kind == kind && !s.body.is_empty()) {
            out.push_str(&format!("### {title}\n\n{}\n\n", neutralize_html(&s.body)));
        }
    }
    for s in answer.sections.iter().filter(|s| s.kind == SectionKind::Other && !s.body.is_empty()) {
        let title = inline(&s.title);
        if title.is_empty() {
            out.push_str(&format!("{}\n\n", neutralize_html(&s.body)));
        } else {
            out.push_str(&format!("### {title}\n\n{}\n\n", neutralize_html(&s.body)));
        }
    }
    stamp_line(out, l, last);
}

/// Which model wrote the answer, after it (its red flags come first).
fn stamp_line(out: &mut String, l: &L, last: Option<&ExportMessage>) {
    let Some(st) = last.and_then(|m| m.stamp.as_ref()).filter(|st| !st.model.is_empty()) else { return };
    let model = match &st.quantization {
        Some(q) => format!("{} ({})", inline(&st.model), inline(q)),
        None => inline(&st.model),
    };
    let version = Some(inline(&st.prompt_version)).filter(|v| !v.is_empty()).unwrap_or_else(|| "?".into());
    out.push_str(&format!("*{}*\n\n", (l.written_by)(&model, &version)));
}

/// The deterministic triage over every user message, when anything fired.
fn triage_line(l: &L, c: &ConsultationExport) -> Option<String> {
    let mut level = TriageLevel::Routine;
    let mut fired: Vec<String> = Vec::new();
    for m in c.messages.iter().filter(|m| m.role == ExportRole::User) {
        let t = triage(&m.content, &c.patient);
        level = level.max(t.level);
        fired.extend(t.rules);
    }
    if fired.is_empty() {
        return None;
    }
    let ordered: Vec<&str> =
        rule_ids().into_iter().map(|(id, _)| id).filter(|id| fired.iter().any(|f| f == id)).collect();
    let name = l.levels[level as usize];
    Some(format!("**{}{}** {} ({})", l.check, l.colon.trim_end(), name, ordered.join(", ")))
}

fn plan(out: &mut String, l: &L, answer: Option<&crate::ParsedAnswer>) {
    out.push_str(&format!("## {}\n\n", l.p));
    let mut wrote = false;
    if let Some(a) = answer {
        for (kind, title) in [(SectionKind::NextSteps, l.next_steps), (SectionKind::SeekCare, l.seek_care)] {
            for s in a.sections.iter().filter(|s| s.kind == kind && !s.body.is_empty()) {
                out.push_str(&format!("### {title}\n\n{}\n\n", neutralize_html(&s.body)));
                wrote = true;
            }
        }
        if !a.follow_ups.is_empty() {
            out.push_str(&format!("### {}\n\n", l.open_questions));
            for q in &a.follow_ups {
                out.push_str(&format!("- {}\n", neutralize_html(q)));
            }
            out.push('\n');
            wrote = true;
        }
    }
    if !wrote {
        out.push_str(&format!("{}\n\n", l.no_plan));
    }
}

fn reasoning(out: &mut String, l: &L, c: &ConsultationExport) {
    out.push_str(&format!("## {}\n\n*{}*\n\n", l.reasoning, l.reasoning_note));
    let mut any = false;
    for (i, m) in c.messages.iter().filter(|m| m.role == ExportRole::Assistant).enumerate() {
        if let Some(r) = m.reasoning.as_deref().filter(|r| !r.trim().is_empty()) {
            out.push_str(&format!("### {} {}\n\n{}\n\n", l.answer_n, i + 1, quote(r)));
            any = true;
        }
    }
    if !any {
        out.push_str(&format!("{}\n\n", l.no_reasoning));
    }
}

/// User or model text as a blockquote, so its own headings stay inside it.
fn quote(text: &str) -> String {
    neutralize_html(text.trim())
        .lines()
        .map(|line| if line.trim().is_empty() { ">".to_string() } else { format!("> {}", line.trim_end()) })
        .collect::<Vec<_>>()
        .join("\n")
}

fn inline(s: &str) -> String {
    neutralize_html(&collapse_ws(s))
}

/// "2026-11-26T14:03:00+01:00" as "2026-11-26 14:03 (UTC+01:00)"; anything else as given.
fn format_date(rfc3339: &str) -> String {
    let s = rfc3339.trim();
    let b = s.as_bytes();
    let shaped = b.len() >= 16
        && b[..16].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T' || *c == b't' || *c == b' ',
            13 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shaped {
        return inline(s);
    }
    let zone = s[16..].trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
    let zone = match zone {
        "" => String::new(),
        "Z" | "z" => " (UTC)".into(),
        z => format!(" (UTC{})", inline(z)),
    };
    format!("{} {}{}", &s[..10], &s[11..16], zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patient::{Pregnancy, Sex};

    fn msg(role: ExportRole, content: &str, reasoning: Option<&str>) -> ExportMessage {
        ExportMessage {
            role,
            content: content.into(),
            reasoning: reasoning.map(str::to_string),
            stamp: None,
            attachments: Vec::new(),
        }
    }

    fn sample() -> ConsultationExport {
        ConsultationExport {
            title: "Headache <b>bad</b>".into(),
            created_at: "2026-11-26T14:03:00+01:00".into(),
            patient: PatientContext {
                age_years: Some(34.0),
                sex: Some(Sex::Female),
                pregnancy: Some(Pregnancy::Pregnant { weeks: Some(12) }),
                weight_kg: Some(62.0),
                allergies: vec!["penicillin".into()],
                medications: vec![],
                conditions: vec![],
                jurisdiction: Some("US".into()),
            },
            chief_complaint: Some("Headache for 3 days".into()),
            messages: vec![
                msg(ExportRole::User, "I have a headache.\nIt is the worst headache of my life. <script>x</script>", None),
                msg(
                    ExportRole::Assistant,
                    "## Red flags\n- Worst-ever headache\n## Summary\nSevere headache in pregnancy.\n## Most likely causes\n1. Migraine\n2. Pre-eclampsia (can't miss)\n## What I still need to know\n- Any visual changes?\n## Next steps\nCheck your blood pressure.\n## When to seek care\nNow, if it is the worst ever.",
                    Some("She is pregnant; think about pre-eclampsia.\n## not a heading"),
                ),
            ],
        }
    }

    #[test]
    fn full_english_note_has_every_section_in_order() {
        let md = export_soap(&sample(), &ExportOptions { include_reasoning: false, lang: Lang::En });
        let order = [
            "# Headache &lt;b>bad&lt;/b>",
            "Date: 2026-11-26 14:03 (UTC+01:00)",
            "> **Disclaimer:** Anamnesis is not a doctor.",
            "## S — Subjective",
            "**Chief complaint:** Headache for 3 days",
            "> I have a headache.\n> It is the worst headache of my life. &lt;script>x&lt;/script>",
            "## O — Objective",
            "- Age: 34 y\n- Sex: female\n- Weight: 62 kg\n- Pregnancy: pregnant (12 weeks)\n- Medications: None recorded\n- Allergies: penicillin\n- Conditions: None recorded",
            "## A — Assessment",
            "**Automatic red-flag check:** urgent (headache_worst_ever)",
            "### Red flags\n\n- Worst-ever headache",
            "### Summary\n\nSevere headache in pregnancy.",
            "### Most likely causes\n\n1. Migraine\n2. Pre-eclampsia (can't miss)",
            "## P — Plan",
            "### Next steps\n\nCheck your blood pressure.",
            "### When to seek care\n\nNow, if it is the worst ever.",
            "### Open questions\n\n- Any visual changes?",
        ];
        let mut at = 0;
        for part in order {
            let i = md[at..].find(part).unwrap_or_else(|| panic!("missing or out of order: {part:?}\n---\n{md}"));
            at += i + part.len();
        }
        assert!(!md.contains("Reasoning") && !md.contains("pre-eclampsia.\n"), "{md}");
        assert!(!md.contains("<script>") && !md.contains("<b>"));
    }

    #[test]
    fn the_answer_says_which_model_wrote_it_after_its_red_flags() {
        let mut c = sample();
        let stamp = AnswerStamp {
            model: "Baichuan-M2-32B-Q4_K_M.gguf".into(),
            quantization: Some("Q4_K_M".into()),
            prompt_version: "2026-11-26.1".into(),
        };
        c.messages[1].stamp = Some(stamp);
        let md = export_soap(&c, &ExportOptions { include_reasoning: false, lang: Lang::En });
        let line = "*Answer written by Baichuan-M2-32B-Q4_K_M.gguf (Q4_K_M), under consultation instructions version 2026-11-26.1.*";
        let (flags, stamp_at) = (md.find("### Red flags").unwrap(), md.find(line).expect(&md));
        assert!(flags < stamp_at && stamp_at < md.find("## P — Plan").unwrap(), "{md}");
        let zh = export_soap(&c, &ExportOptions { include_reasoning: false, lang: Lang::Zh });
        assert!(zh.contains("回答由 Baichuan-M2-32B-Q4_K_M.gguf (Q4_K_M) 生成，问诊指令版本 2026-11-26.1。"), "{zh}");
        // Unstamped (older) answers say nothing.
        assert!(
            !export_soap(&sample(), &ExportOptions { include_reasoning: false, lang: Lang::En }).contains("written by")
        );
    }

    #[test]
    fn reasoning_only_when_asked() {
        let md = export_soap(&sample(), &ExportOptions { include_reasoning: true, lang: Lang::En });
        assert!(md.contains("## Reasoning (model's thinking trace)"));
        assert!(
            md.contains("### Answer 1\n\n> She is pregnant; think about pre-eclampsia.\n> ## not a heading"),
            "{md}"
        );
        let mut c = sample();
        c.messages[1].reasoning = None;
        let md = export_soap(&c, &ExportOptions { include_reasoning: true, lang: Lang::En });
        assert!(md.contains("No reasoning was recorded."));
    }

    #[test]
    fn empty_consultation_still_has_disclaimer_and_all_sections() {
        for lang in [Lang::En, Lang::Zh] {
            let md = export_soap(&ConsultationExport::default(), &ExportOptions { include_reasoning: false, lang });
            let disclaimer = if lang == Lang::En { DISCLAIMER_EN } else { DISCLAIMER_ZH };
            assert!(md.contains(disclaimer), "{md}");
            let heads: &[&str] = if lang == Lang::En {
                &[
                    "# Consultation",
                    "## S — Subjective",
                    "## O — Objective",
                    "## A — Assessment",
                    "## P — Plan",
                    "No assessment yet.",
                    "No plan yet.",
                    "- Age: Not recorded",
                    "- Allergies: None recorded",
                ]
            } else {
                &[
                    "# 问诊记录",
                    "## S — 主观资料",
                    "## O — 客观资料",
                    "## A — 评估",
                    "## P — 计划",
                    "暂无评估。",
                    "暂无计划。",
                    "- 年龄：未记录",
                    "- 过敏：无记录",
                ]
            };
            for h in heads {
                assert!(md.contains(h), "{lang:?} lacks {h}\n{md}");
            }
        }
    }

    #[test]
    fn attached_documents_are_named_under_the_question_without_their_text() {
        let mut c = sample();
        c.messages[0].attachments = vec!["labs.pdf".into(), "<b>meds</b>.txt".into()];
        let md = export_soap(&c, &ExportOptions::default());
        assert!(md.contains("*Documents attached: labs.pdf, "), "{md}");
        assert!(!md.contains("<b>"), "names are sanitized: {md}");
    }

    #[test]
    fn chinese_labels_and_unstructured_answer() {
        let mut c = sample();
        c.messages = vec![
            msg(ExportRole::User, "胸口疼，出冷汗", None),
            msg(ExportRole::Assistant, "可能是心脏问题，请立即就医。", None),
        ];
        let md = export_soap(&c, &ExportOptions { include_reasoning: false, lang: Lang::Zh });
        assert!(md.contains("> **免责声明：** Anamnesis 不是医生"), "{md}");
        assert!(md.contains("**主诉：** Headache for 3 days"));
        assert!(md.contains("- 年龄：34岁\n- 性别：女性\n- 体重：62 kg\n- 妊娠状态：妊娠（12周）"), "{md}");
        assert!(md.contains("**自动危险信号检查：** 紧急 (chest_pain_sweating)"), "{md}");
        assert!(md.contains("### 最近一次回答\n\n可能是心脏问题，请立即就医。"), "{md}");
    }

    #[test]
    fn dates() {
        assert_eq!(format_date("2026-11-26T14:03:00Z"), "2026-11-26 14:03 (UTC)");
        assert_eq!(format_date("2026-11-26T14:03:00.123-05:00"), "2026-11-26 14:03 (UTC-05:00)");
        assert_eq!(format_date("yesterday"), "yesterday");
    }
}
