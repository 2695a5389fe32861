//! Readings people type: oxygen saturation, blood pressure, glucose (mmol/L or mg/dL, and the
//! meter's "HI"/"LO"), heart rate, how many tablets or inhaler puffs, the age of the person, and
//! weeks of pregnancy. Each number counts only next to the word that says what it measures, so
//! "38 weeks" is not a temperature and "took 2" is not an overdose.

use super::frames::is_framed;
use super::measures::number;
use super::text::sentence_start;
use regex::{Captures, Regex};
use std::sync::LazyLock;

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// The numbers in one message (normalised text).
#[derive(Debug, Default, Clone)]
pub(crate) struct Vitals {
    /// Lowest oxygen saturation, %.
    pub spo2: Option<f32>,
    /// Highest systolic and diastolic pressure, mmHg.
    pub systolic_max: Option<u32>,
    /// Lowest systolic pressure, mmHg (under 90 is shock).
    pub systolic_min: Option<u32>,
    pub diastolic_max: Option<u32>,
    /// Glucose readings, mmol/L; the meter's HI and LO.
    pub glucose_max: Option<f32>,
    pub glucose_min: Option<f32>,
    /// Heart rates, beats a minute.
    pub heart_rate_max: Option<u32>,
    pub heart_rate_min: Option<u32>,
    /// Breaths a minute.
    pub resp_rate: Option<u32>,
    /// Most tablets taken at once; a whole bottle or pack counts as many.
    pub tablets: Option<u32>,
    /// Most reliever puffs in a short time.
    pub puffs: Option<u32>,
    /// The age given in the text, years.
    pub age_years: Option<f32>,
    /// Weeks of pregnancy given in the text.
    pub pregnancy_weeks: Option<u32>,
    /// Words for an older person ("grandma", "care home", "老人") or a small child ("toddler",
    /// "宝宝"), when no age is given.
    pub older_words: bool,
    pub child_words: bool,
}

static OLDER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"grand(?:ma|mother|ad|dad|pa|father|parent)|\bnan\b|\bnana\b|granny|elderly|care\s+home|nursing\s+home|pensioner|奶奶|爷爷|外婆|外公|姥姥|姥爷|老人|老爷子|老太太|老父亲|老母亲|老爸|老妈",
    )
});

static CHILD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"toddler|\bbaby\b|infant|newborn|\bkid\b|little\s+(?:one|boy|girl)|preschool\w*|nursery|宝宝|婴儿|幼儿|小孩|宝贝|娃",
    )
});

/// Many, for "a whole bottle" or "十几".
const MANY: u32 = 20;

static SPO2: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:spo2|sp02|sao2|o2\s*sat\w*|o2\s+level\w*|\bo2\b|oxygen(?:\s+(?:level|levels|sat\w*|reading))?|\bsats?\b|saturation\w*|ox[iy]meter|pulse\s*ox\w*|\bpox\b",
        r"|(?:血|雪)氧(?:饱和度)?|氧饱和度?|氧饱|指脉氧)[^\d\n。；一二三四五六七八九]{0,25}?(\d{2,3}(?:\.\d)?|[五六七八九]十[一二三四五六七八九]?|一百)",
        r"|(\d{2}(?:\.\d)?)\s*%\s*(?:on\s+(?:the|my|his|her|a)\s+)?(?:\w+\s+)?(?:ox[iy]meter|spo2|sats?|oxygen|o2|pulse\s*ox)"
    ))
});

static BASELINE: LazyLock<Regex> = LazyLock::new(|| re(r"usual(?:ly)?|normal(?:ly)?|baseline|平时|一般|平常"));

/// "… then 98", "后来98": a later number of the same reading.
static LATER_READING: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[^\d.\n。；]{0,30}?(?:then|later|after|now|后来|然后|现在)\s*(?:\w+\s+){0,4}?(\d{2,3})\b"));

/// A reading the user explains away: nail polish, cold hands.
static ARTEFACT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"nail\s+(?:polish|varnish)|(?:warm|warmed|cold)\s+(?:\w+\s+)?hands|hands\s+(?:were|are)\s+cold|手(?:很|太)?(?:冷|凉)|暖和|指甲油",
    )
});

static BP: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:blood\s+pressure|\bbp\b|pressure|血压|高压)[^\d\n。；]{0,20}?(\d{2,3})\s*(?:/|over|／|-)\s*(\d{2,3})",
        r"|(?:血压|高压)[^\d\n。；一二三四五六七八九]{0,8}?(一百[一二三四五六七八九]?十?[一二三四五六七八九]?|[六七八九]十[一二三四五六七八九]?)(?:[\s,，/]+(一百[一二三四五六七八九]?十?[一二三四五六七八九]?|[四五六七八九]十[一二三四五六七八九]?))?",
        r"|\b(\d{3})\s*/\s*(\d{2,3})\b",
        r"|(?:systolic|收缩压)[^\d\n]{0,8}(\d{2,3})"
    ))
});

static GLUCOSE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:glucose|sugars?|\bbg\b|\bbs\b|\bbm\b|\bcbg\b|\bbgl\b|meter|glucometer|libre|dexcom|\bcgm\b|(?:血|雪)糖(?:仪)?)",
        r"[^\d\n。；一二三四五六七八九十]{0,16}?(\d{1,3}(?:\.\d{1,2})?|[一二两三四五六七八九十]{1,4}(?:点[一二三四五六七八九几])?)\s*(mmol(?:/l)?|mg\s*/?\s*dl|mg)?",
        r"|(\d{1,3}(?:\.\d{1,2})?)\s*(mmol\s*/?\s*l|mg\s*/\s*dl)"
    ))
});

static GLUCOSE_HI_LO: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:meter|glucometer|monitor|reading|sugars?|\bbg\b|libre|dexcom|sensor|血糖仪|血糖)[^.\n。；]{0,25}?(?:\b|显示|是)(hi|lo|high|low)\b",
        r"|(?:too\s+high|off\s+the\s+(?:scale|chart))\s+(?:to\s+read|on\s+(?:the|my|his|her)\s+meter)|测不出(?:来)?(?:了)?的高"
    ))
});

static HEART_RATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:heart\s*rate|pulse|\bhr\b|heart\s+(?:is\s+)?(?:going|at|beating)|心率|脉搏|心跳)[^\d\n。；一二两三四五六七八九]{0,14}?(\d{2,3}|一百[一二两三四五六七八九]?十?[一二三四五六七八九]?|[五六七八九]十[一二三四五六七八九]?)(?:\b|次)|\b(\d{2,3})\s*(?:bpm|beats\s+(?:a|per)\s+min\w*|次/分)",
    )
});

static RESP_RATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:resp(?:iratory)?\s*rate|\brr\b|breaths?\s+(?:a|per)\s+min\w*\s*(?:of|is|:)?|呼吸(?:频率)?)[^\d\n。；]{0,10}?(\d{1,2})\b",
    )
});

static TABLETS_EN: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(?:took|taken|take|taking|swallowed|swallow|downed|necked|popped|gave\s+(?:him|her|them))\s+",
        r"(?:about\s+|like\s+|around\s+|maybe\s+|at\s+least\s+|over\s+|nearly\s+|almost\s+|roughly\s+|all\s+|some\s+)?",
        r"(\d{1,3}|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a\s+dozen|dozens)\b(?:\s+or\s+(?:so|more))?",
        r"(\s*(?:x\s+)?(?:mg|ml|g|mcg|µg|minutes?|mins?|hours?|hrs?|days?|weeks?|am|pm|years?|%|puffs?|units?|degrees?|°))?"
    ))
});

/// "she's had fourteen of her amitriptyline".
static TABLETS_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:had|ate|eaten|chewed)\s+(?:about\s+|like\s+|maybe\s+|around\s+)?(\d{1,3}|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)\s+of\s+(?:my|his|her|their|the)\b",
    )
});

static TABLET_NOUN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{1,3})\s*(?:x\s+)?(?:\w+\s+){0,2}?(?:tablets?|pills?|caps(?:ules)?|tabs|capsules)\b"));

static WHOLE_PACK: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:whole|entire|full|half\s+(?:a|the|his|her|my))\s+(?:\w+\s+)?(?:bottle|box|pack|packet|strip|blister|tub|week'?s?\s+(?:worth|supply)|month'?s?\s+(?:worth|supply))",
        r"|(?:a|two|several)\s+(?:bottles?|boxes|packs?|packets?|strips?)\s+of|a\s+handful\s+of|handfuls|all\s+(?:of\s+)?(?:my|his|her|their|the)\s+(?:\w+\s+)?(?:pills|tablets|meds|medication)",
        r"|(?:吃|吞|服|喝)了?(?:\w{0,4})?(?:一整|整|半|一)(?:瓶|盒|板|包)|(?:一整|整|半)(?:瓶|盒|板)(?:\w{0,6})?(?:药|片)|(?:吃|吞)了?(?:一把|一大把)"
    ))
});

static TABLETS_ZH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{1,3}|[一二两三四五六七八九十百几]+)\s*(?:多)?(?:片|粒|颗)"));

static INGEST_ZH: LazyLock<Regex> = LazyLock::new(|| re(r"吃|吞|服|喝|误食|误服"));

static INHALER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"inhaler|ventolin|salbutamol|albuterol|reliever|puffer|spacer|\bblue\s+one\b|万托林|沙丁胺醇|喷雾|吸入剂|气雾剂|喷剂|喷了",
    )
});

static PUFFS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\d{1,2}|a\s+dozen|ten|twelve|fifteen|twenty)\s*\+?\s*(?:puffs?|sprays?|times|goes|doses)|(?:喷|吸|用)了?(\d{1,2}|[一二两三四五六七八九十几]+)\s*(?:多)?(?:下|次|口)",
    )
});

static AGE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(\d{1,3})\s*(?:-|\s)?(?:yo\b|y/o|y\.o\.|yrs?\b|years?(?:\s|-)*old|year-old|yr-old)",
        r"|\b(?:aged?|age)\s*(\d{1,3})\b|\b(\d{2})\s*(?:m|f|male|female|man|woman|yo\s*(?:m|f))\b",
        r"|\b(?:mum|mom|mother|dad|father|grandma|grandmother|grandad|granddad|grandpa|grandfather|nan|nana|granny|husband|wife|son|daughter|boy|girl|brother|sister|he|she|i)(?:'s|\s+is|\s+was)?\s+(\d{1,2})\b",
        r"|(\d{1,3}|[一二两三四五六七八九十]+)\s*(?:多)?岁",
        r"|(?:妈|爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|老公|老婆|父亲|母亲|老人|儿子|女儿|孩子|宝宝)(?:今年|都|已经)?(\d{2}|[一二三四五六七八九十]+)(?:多)?(?:了|岁)"
    ))
});

static AGE_MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\d{1,2})[\s-]*(?:months?|mos?|mths?)[\s-]*old|(\d{1,2}|[一二两三四五六七八九十]+)\s*个月(?:大)?|(?:一岁半|一岁多)",
    )
});

static PREGNANCY_WEEKS: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(\d{1,2})\s*(?:\+\s*\d\s*)?(?:weeks?|wks?|w)\s*(?:pregnant|along|gestation|into\s+(?:my|her|the)\s+pregnancy|pg\b)",
        r"|\b(?:is|am|i'm|im|she's|shes|at|now|currently)\s+(\d{2})\s*(?:\+\s*\d\s*)?(?:weeks?|wks?)\b",
        r"|(?:孕|怀孕|妊娠)(?:了)?(?:第)?(\d{1,2}|[一二三四五六七八九十]+)\s*(?:\+\d)?\s*(周|个月)"
    ))
});

fn num(c: &Captures, i: usize) -> Option<f32> {
    c.get(i).map(|m| number(m.as_str())).filter(|v| *v < f32::MAX)
}

fn first_num(c: &Captures, from: usize, to: usize) -> Option<f32> {
    (from..=to).find_map(|i| num(c, i))
}

fn max_u32(a: Option<u32>, b: u32) -> Option<u32> {
    Some(a.map_or(b, |a| a.max(b)))
}

fn min_u32(a: Option<u32>, b: u32) -> Option<u32> {
    Some(a.map_or(b, |a| a.min(b)))
}

fn words_number(s: &str) -> Option<u32> {
    Some(match s.trim() {
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "ten" => 10,
        s if s.starts_with("a dozen") || s == "dozens" => 12,
        s => return s.parse().ok().or_else(|| Some(number(s)).filter(|v| *v < f32::MAX).map(|v| v as u32)),
    })
}

pub(crate) fn read(text: &str) -> Vitals {
    let mut v = Vitals::default();
    // The latest reading counts ("91 for a second, then 98"), and a stated usual level
    // ("my normal is 94", "平时就88左右") is not a reading.
    for c in SPO2.captures_iter(text) {
        let whole = c.get(0).unwrap();
        let sentence = &text[sentence_start(text, whole.start())..];
        if ARTEFACT.is_match(sentence) {
            continue;
        }
        let from = whole.start().saturating_sub(20);
        let from = (0..=from).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        if BASELINE.is_match(&text[from..whole.end()]) {
            continue;
        }
        if let Some(x) = first_num(&c, 1, 2).filter(|x| (50.0..=100.0).contains(x)) {
            v.spo2 = Some(x);
        }
        for later in LATER_READING.captures_iter(&text[whole.end()..]) {
            if let Some(x) = later[1].parse::<f32>().ok().filter(|x| (50.0..=100.0).contains(x)) {
                v.spo2 = Some(x);
            }
        }
    }
    for c in BP.captures_iter(text) {
        let sys = first_num(&c, 1, 1).or(num(&c, 3)).or(num(&c, 5)).or(num(&c, 7));
        let dia = num(&c, 2).or(num(&c, 4)).or(num(&c, 6));
        if let Some(s) = sys.filter(|s| (50.0..=300.0).contains(s)) {
            // "12/05" is a date; a bare "220/130" needs a plausible diastolic.
            if c.get(5).is_some() && !dia.is_some_and(|d| (30.0..=200.0).contains(&d) && d < s) {
                continue;
            }
            v.systolic_max = max_u32(v.systolic_max, s as u32);
            v.systolic_min = min_u32(v.systolic_min, s as u32);
            if let Some(d) = dia.filter(|d| (30.0..=200.0).contains(d)) {
                v.diastolic_max = max_u32(v.diastolic_max, d as u32);
            }
        }
    }
    for c in GLUCOSE.captures_iter(text) {
        // "二十七点几" is 27.5.
        let zh = c
            .get(1)
            .and_then(|m| m.as_str().split_once('点'))
            .map(|(w, f)| number(w) + if f == "几" { 0.5 } else { number(f) / 10.0 });
        let x = zh.or_else(|| first_num(&c, 1, 1)).or(num(&c, 3)).filter(|x| *x < 1000.0);
        let (Some(x), unit) = (x, c.get(2).or(c.get(4)).map(|m| m.as_str())) else {
            continue;
        };
        let mmol = match unit {
            Some(u) if u.starts_with("mg") => x / 18.0,
            Some(_) => x,
            // Without a unit: 1–35 reads as mmol/L, 36–800 as mg/dL.
            None if x > 35.0 => x / 18.0,
            None => x,
        };
        if (0.5..=50.0).contains(&mmol) {
            v.glucose_max = Some(v.glucose_max.map_or(mmol, |g: f32| g.max(mmol)));
            v.glucose_min = Some(v.glucose_min.map_or(mmol, |g: f32| g.min(mmol)));
        }
    }
    for c in GLUCOSE_HI_LO.captures_iter(text) {
        let low = c.get(1).is_some_and(|m| m.as_str().starts_with('l'));
        if low {
            v.glucose_min = Some(1.0);
        } else {
            v.glucose_max = Some(40.0);
        }
    }
    for c in HEART_RATE.captures_iter(text) {
        if let Some(x) = first_num(&c, 1, 2).filter(|x| (20.0..=260.0).contains(x)) {
            v.heart_rate_max = max_u32(v.heart_rate_max, x as u32);
            v.heart_rate_min = min_u32(v.heart_rate_min, x as u32);
        }
    }
    for c in RESP_RATE.captures_iter(text) {
        if let Some(x) = first_num(&c, 1, 1).filter(|x| (4.0..=80.0).contains(x)) {
            v.resp_rate = max_u32(v.resp_rate, x as u32);
        }
    }
    v.tablets = tablets(text);
    v.puffs = puffs(text);
    v.age_years = age(text);
    v.older_words = OLDER.is_match(text);
    v.child_words = CHILD.is_match(text);
    for c in PREGNANCY_WEEKS.captures_iter(text) {
        let Some(n) = first_num(&c, 1, 3) else { continue };
        let months = c.get(4).is_some_and(|m| m.as_str() == "个月");
        let weeks = if months { n * 4.3 } else { n };
        if (4.0..=43.0).contains(&weeks) {
            v.pregnancy_weeks = Some(weeks as u32);
        }
    }
    v
}

fn tablets(text: &str) -> Option<u32> {
    let mut most: Option<u32> = None;
    // "hypothetically, what if someone took a whole pack": a count in a frame is no dose taken.
    let framed = |m: regex::Match| is_framed(text, m.start(), m.end());
    for c in TABLETS_EN.captures_iter(text) {
        if c.get(2).is_some() || framed(c.get(0).unwrap()) {
            continue; // "took 500 mg", "took 2 hours"
        }
        if let Some(n) = words_number(&c[1]) {
            most = max_u32(most, n);
        }
    }
    for c in TABLETS_OF.captures_iter(text) {
        if let Some(n) = words_number(&c[1]).filter(|_| !framed(c.get(0).unwrap())) {
            most = max_u32(most, n);
        }
    }
    for c in TABLET_NOUN.captures_iter(text) {
        if framed(c.get(0).unwrap()) {
            continue;
        }
        if let Ok(n) = c[1].parse::<u32>() {
            most = max_u32(most, n);
        }
    }
    if WHOLE_PACK.find_iter(text).any(|m| !framed(m)) {
        most = max_u32(most, MANY);
    }
    for c in TABLETS_ZH.captures_iter(text) {
        let m = c.get(0).unwrap();
        let s = sentence_start(text, m.start());
        if INGEST_ZH.is_match(&text[s..]) && !framed(m) {
            let raw = c[1].replace('几', "");
            let n = if c[1].contains('几') && c[1].contains('十') { 12 } else { words_number(&raw).unwrap_or(0) };
            most = max_u32(most, n);
        }
    }
    most
}

fn puffs(text: &str) -> Option<u32> {
    if !INHALER.is_match(text) {
        return None;
    }
    let mut most = None;
    for c in PUFFS.captures_iter(text) {
        let s = c.get(1).or(c.get(2)).unwrap().as_str();
        let n =
            if s.contains('十') && s.contains('几') { 12 } else { words_number(&s.replace('几', "3")).unwrap_or(0) };
        most = max_u32(most, n);
    }
    most
}

fn age(text: &str) -> Option<f32> {
    let mut ages = Vec::new();
    for c in AGE.captures_iter(text) {
        if let Some(n) = first_num(&c, 1, 6).filter(|n| (1.0..=110.0).contains(n)) {
            // "she is 38.5" is a temperature, "he is 5 weeks" an infant: look at what follows.
            let end = c.get(0).unwrap().end();
            let next = text[end..].trim_start();
            let decimal = next.starts_with('.') && next[1..].starts_with(|c: char| c.is_ascii_digit());
            if decimal
                || next.starts_with(['°', '%', '℃', '度'])
                || next.starts_with("week")
                || next.starts_with("month")
            {
                continue;
            }
            ages.push(n);
        }
    }
    for c in AGE_MONTHS.captures_iter(text) {
        let months = first_num(&c, 1, 2).unwrap_or(18.0);
        ages.push(months / 12.0);
    }
    // The youngest person named is the one a rule about children must see.
    ages.into_iter().reduce(f32::min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::text::normalize;

    fn r(t: &str) -> Vitals {
        read(&normalize(t))
    }

    #[test]
    fn oxygen() {
        assert_eq!(r("SpO2 85 %").spo2, Some(85.0));
        assert_eq!(r("mum's oximeter says 86% and shes breathing fast").spo2, Some(86.0));
        assert_eq!(r("sats 88 on my finger monitor, normal is 94").spo2, Some(88.0));
        assert_eq!(r("血氧仪测了好几次都是85 86").spo2, Some(85.0));
        assert_eq!(r("89% on the pulse ox").spo2, Some(89.0));
        assert_eq!(r("my oxygen is fine").spo2, None);
    }

    #[test]
    fn pressure() {
        let v = r("home bp machine says 210/120");
        assert_eq!((v.systolic_max, v.diastolic_max), (Some(210), Some(120)));
        assert_eq!(r("血压量了220/130").systolic_max, Some(220));
        assert_eq!(r("BP was 170 over 112").diastolic_max, Some(112));
        assert_eq!(r("appointment on 12/05").systolic_max, None);
        assert_eq!(r("bp 82/50").systolic_min, Some(82));
        assert_eq!(r("血压85/50").systolic_min, Some(85));
        assert_eq!(r("blood pressure is 120/80").systolic_min, Some(120));
        assert_eq!(r("systolic 78").systolic_min, Some(78));
    }

    #[test]
    fn glucose() {
        assert_eq!(r("blood sugar 32 mmol/L").glucose_max, Some(32.0));
        assert_eq!(r("glucose 540 mg/dL").glucose_max, Some(30.0));
        assert_eq!(r("bg 38 mg/dl im shaking").glucose_min, Some(38.0 / 18.0));
        assert_eq!(r("meter just says HI").glucose_max, Some(40.0));
        assert_eq!(r("血糖仪显示LO").glucose_min, Some(1.0));
        assert_eq!(r("血糖28.6").glucose_max, Some(28.6));
        assert_eq!(r("hi, my sugar was 6.1 this morning").glucose_max, Some(6.1));
    }

    #[test]
    fn counts_and_people() {
        assert_eq!(r("took 30 of my amitriptyline 25mg an hour ago").tablets, Some(30));
        assert_eq!(r("i already took about 30 an hour ago").tablets, Some(30));
        assert_eq!(r("took 500 mg for the fever").tablets, None);
        assert_eq!(r("一口气吃了一整板艾司唑仑 大概20片").tablets, Some(20));
        assert_eq!(r("格列本脲吃了6片").tablets, Some(6));
        assert_eq!(r("used my blue inhaler like 12 times in the last hour").puffs, Some(12));
        assert_eq!(r("万托林喷了十几下了").puffs, Some(12));
        assert_eq!(r("my mum is 72 and diabetic").age_years, Some(72.0));
        assert_eq!(r("62M. weird ache in my jaw").age_years, Some(62.0));
        assert_eq!(r("我爸68岁").age_years, Some(68.0));
        assert_eq!(r("我妈65了有高血压").age_years, Some(65.0));
        assert_eq!(r("my 14 month old pulled a cup").age_years, Some(14.0 / 12.0));
        assert_eq!(r("she is 38.5 on the thermometer").age_years, None);
        assert_eq!(r("34 weeks pregnant").pregnancy_weeks, Some(34));
        assert_eq!(r("wife is 37 weeks, BP 170/112").pregnancy_weeks, Some(37));
        assert_eq!(r("怀孕35周").pregnancy_weeks, Some(35));
        assert_eq!(r("pulse 44").heart_rate_min, Some(44));
        assert_eq!(r("heart going 120").heart_rate_max, Some(120));
    }
}
