//! What to tell the user when a rule fires, in English or Chinese: the local emergency number,
//! a crisis line for suicidal thoughts, and one practical sentence per kind of emergency. The
//! wording never claims certainty ("can be a sign of").

use super::rules::Group;
use super::TriageLevel;
use crate::lang::Lang;

/// The ambulance number for an ISO country code, or `None` when we do not know it. Where 112
/// works but is not the number people know for an ambulance, that number is given instead.
/// Sources (checked 2026-12):
/// - EU/EEA 112: Directive (EU) 2018/1972, art. 109 (European emergency number).
/// - US 911 (FCC), CA 911 (CRTC), MX 911 (national emergency number since 2017, SESNSP).
/// - CN 120 ambulance (110 police, 119 fire): National Health Commission.
/// - GB 999 (Ofcom; 112 also connects), AU 000 (ACMA), NZ 111 (NZ Police / St John).
/// - JP 119, KR 119 (fire and ambulance: FDMA Japan, NFA Korea).
/// - IN 108: the state ambulance services (EMRI/GVK and others); 112 is the integrated ERSS line.
/// - NO 113 medical emergency (Helsedirektoratet); CH 144 ambulance (IVR/IAS).
pub fn emergency_number(jurisdiction: Option<&str>) -> Option<&'static str> {
    const EU_112: &[&str] = &[
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI",
    ];
    let j = jurisdiction?.trim().to_ascii_uppercase();
    Some(match j.as_str() {
        "US" | "CA" | "MX" => "911",
        "CN" => "120",
        "GB" | "UK" => "999",
        "AU" => "000",
        "IN" => "108",
        "NO" => "113",
        "CH" => "144",
        "JP" | "KR" => "119",
        "NZ" => "111",
        j if EU_112.contains(&j) => "112",
        _ => return None,
    })
}

/// A suicide and crisis line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CrisisLine {
    pub number: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    /// Answered around the clock; otherwise the advice never says "any time".
    pub always_open: bool,
    /// The police number to name beside the ambulance where people are told to call both.
    pub police: Option<&'static str>,
}

const fn line(number: &'static str, en: &'static str, zh: &'static str) -> CrisisLine {
    CrisisLine { number, en, zh, always_open: true, police: None }
}

/// Sources (checked 2026-12): 988 Lifeline (SAMHSA) and 9-8-8 Canada (PHAC), both 24/7; Samaritans
/// 116 123 (24/7, UK and Ireland); Lifeline Australia 13 11 14 (24/7); 1737 (Te Whatu Ora, 24/7);
/// 3114 (Ministère de la Santé, 24/7); TelefonSeelsorge (24/7); Tele-MANAS 14416 (MoHFW, 24/7);
/// 12356, China's national psychological assistance hotline (National Health Commission, 2025):
/// required to answer at least 18 hours a day and not toll-free everywhere, so the advice names
/// 120 and 110 first and never says "any time".
pub(crate) fn crisis_line(jurisdiction: Option<&str>) -> Option<CrisisLine> {
    let j = jurisdiction?.trim().to_ascii_uppercase();
    Some(match j.as_str() {
        "US" => line("988", "988 (Suicide & Crisis Lifeline, call or text)", "988（美国自杀与危机生命线，可拨打或发短信）"),
        "CA" => line("988", "988 (Suicide Crisis Helpline, call or text)", "988（加拿大自杀危机求助热线，可拨打或发短信）"),
        "GB" | "UK" | "IE" => line("116 123", "116 123 (Samaritans)", "116 123（Samaritans 撒玛利亚会）"),
        "AU" => line("13 11 14", "13 11 14 (Lifeline)", "13 11 14（Lifeline 生命热线）"),
        "NZ" => line("1737", "1737 (Need to talk?, call or text)", "1737（Need to talk? 可拨打或发短信）"),
        "CN" => CrisisLine {
            number: "12356",
            en: "12356 (national psychological assistance hotline; answered at least 18 hours a day, calls may be charged in some areas)",
            zh: "12356（全国心理援助热线，每天至少18小时有人接听，部分地区可能收取通话费）",
            always_open: false,
            police: Some("110"),
        },
        "FR" => line("3114", "3114 (suicide prevention line)", "3114（法国自杀预防热线）"),
        "DE" => line("0800 111 0 111", "0800 111 0 111 (TelefonSeelsorge)", "0800 111 0 111（TelefonSeelsorge 电话心理援助）"),
        "IN" => line("14416", "14416 (Tele-MANAS)", "14416（Tele-MANAS 心理健康热线）"),
        _ => return None,
    })
}

pub(crate) fn advice(
    lang: Lang,
    level: TriageLevel,
    groups: &[Group],
    number: Option<&str>,
    crisis: Option<CrisisLine>,
) -> String {
    if level == TriageLevel::Routine {
        return String::new();
    }
    let zh = lang == Lang::Zh;
    let n = number.map(str::to_string).unwrap_or_else(|| {
        if zh {
            "当地急救电话".into()
        } else {
            "your local emergency number".into()
        }
    });
    let mut parts: Vec<String> = Vec::new();
    let mind = groups.contains(&Group::Mind);
    if mind {
        // Where people are told to call the ambulance or the police ("120或110"), say both.
        let urgent = match crisis.and_then(|c| c.police) {
            Some(p) if zh => format!("{n}（急救）或{p}（报警）"),
            Some(p) => format!("{n} (ambulance) or {p} (police)"),
            None => n.clone(),
        };
        parts.push(if zh {
            format!("您写的内容可能意味着您正在考虑自杀或伤害自己。您值得现在就得到帮助。如果您可能会付诸行动或正处于危险中，请立即拨打{urgent}。")
        } else {
            format!("What you wrote may mean you are thinking about suicide or harming yourself. You deserve support right now. If you might act on these thoughts or are in danger, call {urgent} now.")
        });
        parts.push(match (zh, crisis) {
            (true, Some(c)) if c.always_open => format!("您也可以随时拨打{}，和受过训练的人聊一聊。如果可以，请和您信任的人待在一起。", c.zh),
            (true, Some(c)) => format!("您也可以拨打{}，和受过训练的人聊一聊。如果可以，请和您信任的人待在一起。", c.zh),
            (true, None) => "您也可以联系当地的心理危机热线。如果可以，请和您信任的人待在一起。".into(),
            (false, Some(c)) if c.always_open => format!("You can also contact {} to talk to a trained person, any time. If you can, stay with someone you trust.", c.en),
            (false, Some(c)) => format!("You can also contact {} to talk to a trained person. If you can, stay with someone you trust.", c.en),
            (false, None) => "You can also contact a local crisis line. If you can, stay with someone you trust.".into(),
        });
    }
    let others = groups.iter().any(|g| *g != Group::Mind);
    match level {
        TriageLevel::Emergency if others || !mind => parts.push(if zh {
            format!("这些症状可能是急症的信号。请立即拨打{n}，或尽快前往最近的急诊科。不要等待观察症状是否自行缓解。")
        } else {
            format!("These symptoms can be a sign of an emergency. Call {n} now, or go to the nearest emergency department. Do not wait to see whether they pass.")
        }),
        TriageLevel::Urgent => parts.push(if zh {
            format!("这些症状可能需要尽快就医。请今天联系医生或前往急诊就诊。如果症状加重或出现新的危险信号，请拨打{n}。")
        } else {
            format!("These symptoms may need prompt medical attention. Contact a doctor or an urgent care service today. If they get worse or new warning signs appear, call {n}.")
        }),
        _ => {}
    }
    let mut seen: Vec<Group> = Vec::new();
    for g in groups {
        if seen.contains(g) {
            continue;
        }
        seen.push(*g);
        if let Some(s) = group_sentence(zh, *g) {
            parts.push(s.to_string());
        }
    }
    parts.join(if zh { "" } else { " " })
}

fn group_sentence(zh: bool, g: Group) -> Option<&'static str> {
    Some(match (g, zh) {
        (Group::Cardiac, false) => "Stop what you are doing and rest while you wait; do not drive yourself.",
        (Group::Cardiac, true) => "请停止活动，休息等待，不要自己开车。",
        (Group::Stroke, false) => "Note the time the symptoms started: treatment depends on it.",
        (Group::Stroke, true) => "记下症状开始的时间：治疗方案取决于它。",
        (Group::Allergy, false) => "If an adrenaline (epinephrine) auto-injector has been prescribed, use it now.",
        (Group::Allergy, true) => "如果医生开过肾上腺素自动注射笔，请现在就使用。",
        (Group::Wound, false) => "Press firmly on the wound with a clean cloth and keep pressing.",
        (Group::Wound, true) => "用干净的布用力按压伤口，并持续按压。",
        (Group::Poison, false) => "Keep the packets or bottles to show the emergency team.",
        (Group::Poison, true) => "保留药盒或药瓶，交给急救人员。",
        (Group::Fumes, false) => "Get everyone, pets too, out into fresh air now and leave the doors open; do not go back in.",
        (Group::Fumes, true) => "立即让所有人（包括宠物）离开到空气新鲜的地方，敞开门，不要再回去。",
        (Group::Burn, false) => "Cool the burn under cool running water for 20 minutes; no ice, creams or butter; cover it loosely with cling film.",
        (Group::Burn, true) => "用凉的流动清水冲洗烫伤处20分钟；不要用冰、药膏或黄油；用保鲜膜松松地盖住。",
        (Group::Infant, false) => "A baby under 3 months with a temperature of 38 °C (100.4 °F) or more needs to be checked by a doctor straight away.",
        (Group::Infant, true) => "3个月以下的婴儿体温达到38 °C（100.4 °F）或以上，需要立即由医生检查。",
        (Group::Pregnancy, false) => "Bleeding or severe pain in pregnancy needs to be checked straight away.",
        (Group::Pregnancy, true) => "孕期出血或剧烈腹痛需要立即检查。",
        (Group::Seizure, false) => "Do not put anything in the person's mouth; move hard objects away and, once the shaking stops, turn them on their side.",
        (Group::Seizure, true) => "不要往患者嘴里塞任何东西；移开周围的硬物，抽搐停止后让其侧卧。",
        (Group::Unconscious, false) => "If the person is not breathing normally, start CPR if you can; the emergency operator can guide you.",
        (Group::Unconscious, true) => "如果患者没有正常呼吸，能做心肺复苏就开始做；急救调度员可以在电话里指导您。",
        (Group::Mind | Group::General, _) => return None,
    })
}

#[cfg(test)]
mod tests {
    /// The app speaks to a worried reader as 您 everywhere (the UI's glossary); the banners'
    /// Chinese advice comes from this file.
    #[test]
    fn chinese_advice_addresses_the_reader_as_nin() {
        let informal = '\u{4f60}';
        for line in include_str!("advice.rs").lines().filter(|l| !l.trim_start().starts_with("//")) {
            assert!(!line.contains(informal), "informal address in: {line}");
        }
    }
}
