//! The clinical concepts the rules combine, each a set of English and Chinese phrasings matched on
//! normalised (lower-case) text. A concept is present when at least one match is not negated
//! and not explained away by its sentence ("slept on my arm", "iron tablets", "嗓子哑").

use super::frames::is_framed;
use super::negation::is_negated;
use super::text::{sentence_end, sentence_start};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

pub(crate) use super::concept::{Concept, Def};

use Concept::*;

const POSS: &str = r"(?:my|his|her|their|the|our|your|a)";

const DEFS: &[Def] = &[
    (
        ChestPain,
        concat!(
            r"chest[\s-]*(?:pains?|hurts?|hurting|ache|aches|aching|tightness|tight|pressure|discomfort|heaviness)",
            r"|(?:pain|ache|tightness|pressure|heaviness|discomfort|band|weight)\s+(?:in|on|across|around)\s+(?:the\s+(?:middle|centre|center|front|left\s+side|right\s+side)\s+of\s+)?POSS\s+chest",
            r"|(?:tight|heavy|painful)\s+chest|chest\s+(?:feels?|is|was)\s+(?:so\s+|very\s+)?(?:tight|heavy|sore|painful)|angina|heart\s+(?:pain|hurts)",
            r"|胸(?:口|部|前区?)?(?:剧烈|剧|绞|刺)?(?:疼痛|痛|疼|闷|紧|憋|压迫感|压榨感|发紧|不适|不舒服)|心口(?:痛|疼)|心绞痛",
            // "胸口有压榨样的疼痛", "胸口一阵阵疼": describing words only, so a negation cannot hide in the gap.
            r"|胸(?:口|部)?(?:有)?(?:一种|一阵|一阵阵|阵阵)?(?:压榨|压迫|撕裂|刀割|针扎|烧灼|闷)?(?:样|感|似)?(?:的)?(?:疼痛|痛|疼)",
            r"|胸(?:口|部)?(?:有点|有些|一直|老是|总是|经常|特别|很)(?:闷|痛|疼|紧)|胸(?:口|部)?(?:像|好像|感觉像|跟)(?:被)?(?:压|堵|揪|攥|勒|绑|捆)",
            r"|胸(?:口|部)?(?:突然)?(?:\w{0,2})?(?:压得慌|闷得慌|压着(?:疼|痛)?|憋得慌)|(?:tight|heavy|crushing|squeezing|painful|weird|funny|pressing)\s+(?:\w+\s+){0,2}(?:feeling|sensation)\s+(?:in|on|across)\s+POSS\s+chest",
            r"|chest\s+(?:feels?|felt)\s+like|(?:band|pressure|weight|tightness|heaviness|pain|ache)\s+(?:\w+\s+)?(?:round|around|across|behind|on)\s+(?:my\s+|his\s+|her\s+|the\s+)?(?:chest|breastbone|sternum)|behind\s+(?:my|his|her|the)\s+breastbone",
            r"|chest\s+(?:is\s+)?(?:getting|gets|got|going)\s+(?:so\s+|very\s+|really\s+)?(?:tight|heavy|sore|painful)|捂着胸口|胸口(?:\w{0,2})?(?:像压了|压了块)"
        ),
        None,
        None,
    ),
    (
        Exertion,
        concat!(
            r"exert\w*|exercis\w*|work(?:ing)?\s+out|climb\w*|stairs|uphill|walk\w*|running|jogging|physical(?:ly)?\s+activ\w*",
            r"|when\s+i\s+(?:move|run|exercise)|carrying|lifting|mowing|shovel\w*|effort",
            r"|活动|运动|爬楼|上楼|爬坡|走路|步行|快走|跑步|劳累|用力|干活|锻炼|体力劳动"
        ),
        None,
        None,
    ),
    (
        Radiation,
        concat!(
            r"radiat\w*|spread\w*\s+(?:to|into|down|up|across)",
            r"|(?:goes|going|went|moves?|moving|travel\w*|shoot\w*)\s+(?:down|into|to|up)\s+(?:my\s+|his\s+|her\s+|the\s+)?(?:left\s+|right\s+)?(?:arm|jaw|back|neck|shoulder)",
            r"|(?:arm|jaw|shoulder)\s+(?:pain|ache|aches|hurts|hurting|is\s+numb|numbness|tingling)",
            r"|pain\s+(?:in|down)\s+POSS\s+(?:left\s+|right\s+)?(?:arm|jaw|shoulder)|(?:left|right)\s+arm\s+(?:is\s+|feels\s+|went\s+)?(?:numb|tingl\w*|heavy)",
            r"|往(?:左)?(?:后背|背部|背上|胳膊|左臂|手臂|肩膀|下巴|脖子)(?:上)?(?:窜|走|跑|放射|传|蔓延)",
            r"|放射|蔓延到|传到|窜到|串到|牵涉到|扩散到|(?:疼|痛)到(?:了)?(?:左|右)?(?:臂|胳膊|手臂|肩|下巴|后背|背)|(?:左|右)?(?:臂|胳膊|手臂|上肢|肩膀|肩|下巴|下颌|下颚|后背|背部)(?:也)?(?:疼痛|痛|疼|麻|发麻|酸)"
        ),
        None,
        None,
    ),
    (Sweating, r"sweat\w*|clammy|diaphore\w*|drenched|perspir\w*|出汗|冒汗|大汗|冷汗|虚汗|一身汗|湿冷", None, None),
    (
        Crushing,
        concat!(
            r"(?:chest|heart)\s+pressure|pressure\s+(?:in|on)\s+POSS\s+chest|crush\w*|squeez\w*|elephant|\bvi[cs]e\b|heavy\s+weight",
            r"|heaviness|tightening\s+band|weight\s+on\s+POSS\s+chest",
            r"|压榨|压迫感|压着|压了|石头|重物压|紧缩感|被攥住|揪着|勒着|攥着"
        ),
        None,
        None,
    ),
    (
        Dyspnea,
        concat!(
            r"short(?:ness)?\s+of\s+breath|(?:hard|difficult|difficulty|trouble|struggl\w*|unable|can'?t|cannot|can\s+not)\s+(?:to\s+)?(?:catch\s+POSS\s+)?breath\w*",
            r"|breathless\w*|out\s+of\s+breath|winded|dyspn\w*|breathing\s+(?:is\s+)?(?:hard|difficult|labou?red|heavy)|gasping|wheez\w*",
            r"|气短|气促|气急|呼吸困难|喘不上气|喘不过气|上不来气|透不过气|憋气|憋得慌|呼吸费力",
            r"|(?:喘气|呼吸)(?:\w{0,4})?费劲",
            r"|喘得不行"
        ),
        Some(r"nose|nostril|nasal|stuffy|鼻塞|鼻子"),
        None,
    ),
    (
        SevereDyspnea,
        concat!(
            r"can'?t\s+breathe|cannot\s+breathe|can\s+not\s+breathe|unable\s+to\s+breathe|(?:not|isn'?t|stopped)\s+breathing",
            r"|gasping\s+for\s+(?:air|breath)|struggling\s+to\s+breathe",
            r"|(?:lips?|face|skin|fingers?)\s+(?:is\s+|are\s+|turn\w*\s+|look\w*\s+|went\s+)?(?:blue|grey|gray|purple)|turn\w*\s+blue",
            r"|can'?t\s+(?:speak|talk|say|finish)\s+(?:in\s+)?(?:a\s+|full\s+|whole\s+)?(?:sentences?|words?)|choking",
            r"|severe(?:ly)?\s+(?:short(?:ness)?\s+of\s+breath|difficulty\s+breathing|breathless)",
            r"|无法呼吸|不能呼吸|没有呼吸|没呼吸|停止呼吸|呼吸停止|呼吸骤停|(?:嘴唇|口唇|脸色|脸|面色|皮肤|指甲)(?:发)?(?:紫|青|绀)|发绀|窒息",
            r"|憋得说不出话|喘得说不出话|严重(?:的)?呼吸困难|呼吸(?:非常|极其|特别)困难|噎住",
            r"|(?:果冻|东西|食物|异物|花生|糖)?卡住了|(?:脸|嘴唇|口唇)(?:\w{0,2})?(?:发紫|发青|发乌)|发不出(?:声音|声)|咳不出来",
            r"|(?:lips?|face|skin|fingers?|nails?)\s+(?:is\s+|are\s+|look\w*\s+|went\s+|going\s+|gone\s+|turning\s+)?(?:a\s+bit\s+|slightly\s+|kind\s+of\s+|really\s+|very\s+)?(?:blue|purple|grey|gray)|(?:can\x27?t|cannot)\s+get\s+(?:a\s+)?(?:sent[ae]nce|words?)\s+out|(?:only|just)\s+(?:get|say|manage)\s+(?:\d|a\s+few|one|two|three)\s+words|hands?\s+(?:at|on|clutching|around)\s+(?:her|his|the|their)\s+throat|can\x27?t\s+(?:cry|cough|breathe)\s+or\s+(?:cough|cry|speak)|(?:嘴唇|口唇|脸色|脸|面色|皮肤|指甲|手指)(?:都|有点|已经|也)(?:发)?(?:紫|青|绀|乌)",
            r"|吸不进(?:气)?|喘不上来气"
        ),
        Some(
            r"nose|nostril|nasal|stuffy|鼻塞|鼻子|(?:basically|literally)\s+me\b|\blol\b|\blmao\b|deadlines|桑葚|mulberr|blueberr|蓝莓|😂|口红|lipstick|染",
        ),
        None,
    ),
    (
        FaceDroop,
        concat!(
            r"(?:face|mouth|smile|lip)\s+(?:is\s+|was\s+|looks?\s+|seems?\s+|went\s+|has\s+|suddenly\s+)?(?:droop\w*|crooked|lopsided|uneven|sagging|fallen|twisted)",
            r"|droop\w*\s+(?:on\s+)?(?:one\s+side\s+of\s+)?(?:the\s+|my\s+|his\s+|her\s+)?(?:face|mouth|smile|lip)|facial\s+(?:droop\w*|weakness|palsy)",
            r"|one\s+side\s+of\s+POSS\s+face\s+(?:is\s+|was\s+|went\s+|feels\s+)?(?:droop\w*|numb|weak|sagging|paraly\w*|fallen)",
            r"|口角歪斜|嘴角歪斜?|嘴歪|口歪|口眼歪斜|脸歪|面瘫|(?:一侧|半边|半侧)(?:脸|面部|面)(?:发)?(?:麻木|麻|下垂|歪|没知觉)|嘴角下垂|口角下垂",
            r"|嘴角(?:一直)?(?:流口水|漏水)",
            r"|一边(?:的)?脸(?:\w{0,2})?(?:耷拉|歪|下垂)"
        ),
        None,
        None,
    ),
    (
        LimbWeakness,
        concat!(
            r"(?:one\s+side|left\s+side|right\s+side|half)\s+of\s+POSS\s+body\s+(?:is\s+|feels\s+|went\s+)?(?:weak|numb|paraly\w*|limp|dead)",
            r"|(?:weak\w*|numb\w*|paraly\w*)\s+(?:on|in|down)\s+(?:one|the\s+left|the\s+right|my\s+left|my\s+right|his\s+left|his\s+right|her\s+left|her\s+right)\s+(?:side|arm|leg|hand)",
            r"|(?:left|right)\s+(?:arm|leg|hand|side)\s+(?:is\s+|went\s+|feels\s+|suddenly\s+|has\s+gone\s+|became\s+)?(?:very\s+)?(?:weak|numb|limp|dead|paraly\w*|useless)",
            r"|can'?t\s+(?:lift|raise|move|feel)\s+(?:my|his|her|their)\s+(?:left\s+|right\s+)?(?:arm|leg|hand)",
            r"|sudden(?:ly)?\s+(?:weak\w*|numb\w*)\s+(?:in|of)\s+POSS\s+(?:left\s+|right\s+)?(?:arm|leg|hand|face)",
            r"|(?:arm|leg|hand)\s+(?:suddenly\s+)?(?:went|go(?:es)?|gone)\s+(?:limp|dead|numb|weak)|hemipare\w*|hemipleg\w*",
            r"|(?:一侧|单侧|半边|半身|半侧)(?:身体|肢体)?(?:突然|也|都)?(?:无力|麻木|不能动|动不了|没知觉|瘫|不听使唤)|偏瘫|半身不遂",
            r"|(?:左|右)(?:侧|边)?(?:手|胳膊|手臂|上肢|腿|下肢|半身|身体)(?:突然|也|都)?(?:没劲|无力|麻木|发麻|麻了|抬不起来?|不能动|动不了|没知觉|不听使唤)",
            r"|(?:手臂|胳膊|手)(?:突然)?(?:抬不起来?|举不起来?)|突然(?:一侧|单侧)?(?:手|胳膊|手臂|腿)(?:没劲|无力|麻木|抬不起来?|不能动|动不了)",
            r"|(?:左|右)(?:手|胳膊|腿)(?:突然)?(?:\w{0,2})?(?:拿不(?:起|住)|抬不起|不听使唤)|筷子(?:突然)?掉",
            r"|(?:左|右)?半边(?:身子|身体|脸)(?:\w{0,2})?(?:不听使唤|没劲|无力|麻|动不了)"
        ),
        Some(
            r"(?:一|两|几|好几)个(?:多)?月|(?:几|好几|多)年|for\s+(?:weeks|months|years)|椎间盘|腰间盘|sciatica|坐骨神经|carpal|broke|broken|sprain|fractur|\bcast\b|\bgym\b|workout|cramp|slept\s+on|sleeping\s+on|lying\s+on|骨折|扭伤|健身|压麻|睡麻|抽筋",
        ),
        None,
    ),
    (
        SpeechDifficulty,
        concat!(
            r"slurr\w*|speech\s+(?:is\s+|was\s+|sounds?\s+|became\s+)?(?:slurred|garbled|jumbled|strange|weird|unclear|thick)",
            r"|(?:can'?t|cannot|could\s*n'?t|unable\s+to|trouble|difficulty|struggl\w*)\s+(?:to\s+)?(?:speak\w*|talk\w*|get(?:ting)?\s+(?:the\s+|his\s+|her\s+|my\s+)?words\s+out",
            r"|find(?:ing)?\s+(?:the\s+|his\s+|her\s+|my\s+)?words|form(?:ing)?\s+words|understand(?:ing)?\s+(?:speech|what\s+(?:people|i|we)))",
            r"|words\s+(?:come|came|are\s+coming|coming)\s+out\s+(?:wrong|jumbled|garbled|mixed)",
            r"|(?:words|speech|talking)\s+(?:are\s+|is\s+)?(?:all\s+)?(?:jumbled|garbled|slurred|mixed\s+up|nonsense)|(?:talking|speaking)\s+(?:gibberish|nonsense)|aphasi\w*|dysarthri\w*",
            r"|口齿不清|言语不清|说话不清楚?|吐字不清|说不出话|不能说话|无法说话|讲话含糊|说话含糊|含糊不清|说话(?:突然)?(?:大舌头|不利索|不流利)|舌头发硬|失语|听不懂别人说话",
            r"|说话(?:\w{0,2})?(?:含糊|含含糊糊|大舌头)",
            r"|说话(?:都)?说不清"
        ),
        Some(
            r"sore\s+throat|laryngitis|lost\s+(?:my|his|her)\s+voice|hoarse|stutter|shy|nervous|stage\s+fright|嗓子|喉咙|嘶哑|感冒|紧张",
        ),
        None,
    ),
    (
        Thunderclap,
        concat!(
            r"thunderclap|sudden(?:ly)?\s+(?:\w+\s+){0,2}(?:severe|intense|excruciating|explosive|terrible|bad|worst)\s+headache",
            r"|(?:severe|intense|excruciating|explosive|terrible|worst)\s+headache\s+(?:that\s+)?(?:came|come|started|hit|began)\s+(?:on\s+)?(?:suddenly|all\s+of\s+a\s+sudden|out\s+of\s+nowhere|in\s+(?:a\s+few\s+)?seconds)",
            r"|headache\s+(?:that\s+)?(?:came|come|started|hit|began)\s+(?:on\s+)?(?:suddenly|all\s+of\s+a\s+sudden|like\s+a\s+(?:thunderclap|bolt|blow|hammer)|out\s+of\s+nowhere|in\s+(?:a\s+few\s+)?seconds)",
            r"|like\s+(?:being\s+)?(?:hit|struck|kicked)\s+(?:in|on)\s+the\s+(?:back\s+of\s+the\s+)?head",
            r"|headache[^.;!?]{0,40}\b(?:came\s+on|started|began|hit\s+me)\s+(?:so\s+)?(?:suddenly|all\s+of\s+a\s+sudden|out\s+of\s+nowhere|in\s+seconds)",
            r"|雷击样|(?:突然|突发|一下子)(?:出现)?(?:的)?(?:剧烈|剧|严重|炸裂样?|炸裂般|爆炸样?)(?:的)?头(?:痛|疼)",
            r"|头(?:痛|疼)(?:是)?突然(?:发作|出现|开始)(?:的)?(?:而且)?(?:非常|特别|极其)?(?:剧烈|严重|厉害)|像被(?:人)?(?:打|敲|重击)了?(?:一下)?(?:后脑勺|头)",
            r"|头(?:像)?(?:要)?炸(?:开|裂)|像被(?:人)?(?:用)?(?:棍子|锤子|东西)?(?:狠狠)?(?:地)?(?:打|敲|砸|重击)了?(?:一下)?|几秒(?:钟)?(?:就)?(?:疼|痛)到(?:最|顶)|一下子(?:就)?(?:疼|痛)到(?:顶|最)|突然(?:\w{0,3})?头痛欲裂|(?:worst|peak\w*|maximum)\s+(?:\w+\s+){0,3}(?:within|in)\s+(?:a\s+)?(?:few\s+)?(?:seconds|a\s+minute|one\s+minute)",
            r"|like\s+(?:someone|somebody|something)\s+(?:had\s+)?(?:hit|struck|smacked|whacked)\s+(?:me|her|him)|sudden\s+(?:bang|explosion|pop)\s+in\s+(?:the\s+back\s+of\s+)?(?:my|his|her)\s+head|head\s+(?:just\s+)?(?:exploded|exploding|burst)|headache\s+(?:during|while|after)\s+(?:sex|orgasm|straining|lifting)|(?:sudden|instant)\w*\s+10/10|头(?:像|快)?要?炸了|从来没(?:有)?这么(?:疼|痛)过|炸裂(?:一样|样|般)?(?:的)?(?:疼|痛)",
            r"|like\s+(?:being\s+)?(?:hit|struck|whacked|smacked)\s+(?:with|by)\s+(?:a\s+)?(?:\w+\s+)?(?:bat|hammer|brick|bomb)|like\s+a\s+bomb|(?:worst|full\s+blast)\s+(?:\w+\s+){0,3}in\s+seconds|雷劈|像炸了|炸了一样|头(?:部)?突然(?:\w{0,2})?(?:剧痛|剧烈(?:疼|痛))"
        ),
        None,
        None,
    ),
    (
        WorstHeadache,
        concat!(
            r"worst\s+(?:\w+\s+){0,2}headache|headache\s+(?:is\s+|was\s+)?(?:the\s+)?worst",
            r"|never\s+had\s+(?:a\s+|such\s+a\s+)?(?:headache|head\s+pain)\s+(?:this|so|like\s+this|that)",
            r"|(?:headache|head\s+pain)\s+(?:\w+\s+){0,3}(?:of\s+my\s+life|i'?ve\s+ever\s+had|ever\s+had)",
            r"|(?:这辈子|有生以来|人生中|从来没有过的|从未有过的)(?:最)?(?:严重|剧烈|厉害|痛|疼)?(?:的)?(?:一次)?头(?:痛|疼)",
            r"|最(?:严重|剧烈|厉害|痛|疼)的(?:一次)?头(?:痛|疼)|头(?:痛|疼)(?:得)?(?:从来没有|从没|从未)(?:这么|这样)(?:痛|疼|厉害|严重)过?"
        ),
        None,
        None,
    ),
    (
        AirwaySwelling,
        concat!(
            r"throat\s+(?:is\s+|feels\s+(?:like\s+it'?s\s+)?|was\s+)?(?:closing|closed|swelling\s+(?:up|shut))",
            r"|tongue\s+(?:is\s+|was\s+|feels\s+)?(?:swelling|swollen|huge|thick)|swollen\s+tongue",
            r"|swelling\s+(?:in|of)\s+POSS\s+(?:tongue|throat)|angioedema",
            r"|喉头水肿|喉咙(?:像是?)?(?:被)?(?:堵住|封住|锁住|快要?闭上|要闭上)|舌头(?:都|也)?(?:突然)?(?:肿|变大|变厚)|血管性水肿",
            r"|舌头(?:\w{0,2})?肿|喉咙(?:\w{0,2})?(?:肿|发紧|紧)"
        ),
        None,
        None,
    ),
    (
        SwellingWeak,
        concat!(
            r"(?:lips?|face|eyes?|eyelids?|throat|mouth)\s+(?:is\s+|are\s+|was\s+|were\s+|feels?\s+|got\s+|started\s+)?(?:swelling|swollen|puff\w*|tight)",
            r"|(?:swollen|swelling|puffy)\s+(?:of\s+POSS\s+)?(?:lips?|face|eyes?|throat)",
            r"|(?:嘴唇|嘴巴|嘴|脸|面部|眼睛|眼皮|喉咙|嗓子)(?:突然)?(?:都|也)?(?:肿|发紧)"
        ),
        None,
        None,
    ),
    (
        AllergyTrigger,
        concat!(
            r"stung|\bstings?\b|\bbees?\b|wasp|hornet|yellow\s*jacket|fire\s+ants?|peanuts?|tree\s+nuts?|\bnuts\b|shellfish|shrimp|prawns?|lobster|\bcrab",
            r"|seafood|sesame|allergic\s+reaction|anaphyla\w*|penicillin|amoxicillin|antibiotic\w*|injection|vaccin\w*|contrast\s+dye",
            r"|new\s+(?:medicine|medication|drug|pill)|after\s+(?:taking|eating|an?\s+injection|a\s+shot)|just\s+(?:took|ate)",
            r"|蜇|蜜蜂|马蜂|黄蜂|胡蜂|花生|坚果|海鲜|虾|蟹|芝麻|过敏反应|过敏了|严重过敏|青霉素|阿莫西林|头孢|抗生素|打针|注射|输液|疫苗|造影剂|吃了(?:新|一种)?药|服药后"
        ),
        None,
        None,
    ),
    (
        Hives,
        r"hives|welts|urticaria|(?:itchy|raised)\s+(?:red\s+)?(?:rash|bumps)|rash\s+all\s+over|荨麻疹|风团|风疹块|起(?:了)?(?:很多|一片片?)?(?:红)?疙瘩|(?:全是|都是|好多|一身)(?:红)?疙瘩|全身(?:起)?(?:了)?(?:红疹|皮疹|疹子)",
        None,
        None,
    ),
    (
        BleedingHeavy,
        concat!(
            r"(?:won'?t|will\s+not|doesn'?t|does\s+not|can'?t|cannot|isn'?t|not)\s+stop(?:ping)?\s+(?:the\s+)?bleed\w*",
            r"|bleed\w*\s+(?:that\s+|which\s+|and\s+it\s+)?(?:won'?t|will\s+not|doesn'?t|does\s+not|isn'?t|hasn'?t|has\s+not|can'?t)\s+(?:stop\w*|slow\w*)",
            r"|bleed\w*\s+(?:heavily|profusely|badly|a\s+lot|nonstop|non-stop|everywhere|like\s+crazy|uncontrollabl\w*)",
            r"|(?:heavy|severe|massive|uncontrolled|profuse|uncontrollable)\s+bleed\w*",
            r"|(?:spurting|gushing|pouring|squirting)\s+(?:out\s+)?blood|blood\s+(?:is\s+|keeps\s+)?(?:spurting|gushing|pouring|squirting|everywhere)",
            r"|(?:lots|lot|loads|tons|pool)\s+of\s+blood|bleeding\s+out",
            r"|soak\w*\s+(?:through\s+)?(?:a\s+|the\s+|my\s+|his\s+|her\s+|one\s+)?(?:pad|pads|towel|towels|bandage|bandages|gauze|tampon|clothes|shirt)",
            r"|血流不止|出血不止|流血不止|血止不住|止不住(?:地)?(?:流血|出血)|出血止不住|大出血|大量出血|出了(?:很多|好多|一大摊|一滩)血",
            r"|流了(?:很多|好多|一大摊|一地)(?:的)?血|喷血|血(?:一直|不停地?)(?:流|往外冒|冒)|血(?:往外)?喷|血浸透|浸透了?(?:纱布|毛巾|衣服|卫生巾)",
            r"|血(?:\w{0,3})?(?:一股一股|哗哗|止不住|流个不停)|(?:按|捏)着(?:\w{0,4})?(?:湿透|止不住)|(?:bleed\w*|blood|nosebleed)[^.!?]{0,60}(?:won\x27?t|doesn\x27?t|can\x27?t|cannot|not)\s+(?:get\s+it\s+to\s+)?stop|(?:can\x27?t|cannot)\s+get\s+it\s+to\s+stop|(?:pinching|pressure|pressing)\s+(?:it\s+)?(?:doesn\x27?t|isn\x27?t|not)\s+(?:work|help)",
            r"|pumping\s+out|in\s+spurts|soaked\s+(?:right\s+)?through|(?:gone|going|went)\s+through\s+(?:\w+\s+)?(?:towels|pads|cloths|bandages|tea\s+towels)|(?:been\s+)?pouring\s+(?:for|out)",
            r"|(?:流血|出血)[^。！？]{0,10}止不住|湿透了|血(?:往外)?飙|按不住"
        ),
        Some(r"period|menstru\w*|月经|例假|大姨妈|经期"),
        None,
    ),
    (
        VomitingBlood,
        concat!(
            r"(?:vomit\w*|throw\w*\s+up|threw\s+up|puk\w*)\s+(?:up\s+)?(?:some\s+|lots\s+of\s+|a\s+(?:large\s+|small\s+|big\s+|huge\s+)?(?:amount|lot|bit|cup|mouthful)\s+of\s+)?(?:bright\s+red\s+|dark\s+|fresh\s+|red\s+)?blood",
            r"|blood\w*\s+(?:in|on)\s+POSS\s+(?:vomit|sick)|bloody\s+vomit",
            r"|(?:vomit\w*|throw\w*\s+up|threw\s+up)\s+(?:what\s+looks\s+like\s+|something\s+like\s+)?coffee[\s-]+grounds?|ha?ematemesis",
            r"|呕血|吐血|吐出(?:了)?(?:鲜)?血|呕吐物(?:里|中)?(?:有|带|带有|是)血|吐的(?:东西)?(?:里)?(?:有|带|是)血|咖啡(?:渣)?样(?:的)?(?:呕吐物|物|东西)",
            r"|(?:threw|throw\w*|vomit\w*|puk\w*|sick)\s+(?:up\s+)?(?:\w+\s+){0,5}blood|(?:vomit\w*|threw\s+up|throw\w*\s+up|sick)\s+(?:\w+\s+){0,5}coffee[\s-]*grounds?|吐了?(?:一大口|一口|好多|很多|一些)(?:鲜)?血|吐(?:出来)?的东西(?:\w{0,4})?(?:咖啡渣|血)|(?:像|跟)咖啡渣",
            r"|(?:vomit\w*|threw\s+up|throw\w*\s+up|chuck\w*\s+up|spew\w*|hurl\w*)\s+(?:up\s+)?(?:\w+\s+){0,6}blood",
            r"|吐(?:了)?(?:老多|不少|一大堆|\w{0,2})血|咖啡渣(?:一样|样|似的)",
            r"|blood\s+coming\s+up|bringing\s+up\s+blood|吐(?:\w{0,6})(?:有|带|出)血"
        ),
        Some(r"streaks?\s+of\s+blood|flecks?|specks?|血丝"),
        None,
    ),
    (
        CoughingBlood,
        concat!(
            r"cough\w*\s+(?:up\s+)?(?:some\s+|bright\s+red\s+|a\s+lot\s+of\s+|lots\s+of\s+|a\s+little\s+)?blood",
            r"|blood\w*\s+(?:in|on)\s+POSS\s+(?:sputum|phlegm|mucus|spit)|bloody\s+(?:sputum|phlegm|mucus)",
            r"|blood[\s-]+(?:streaked|stained|tinged)\s+(?:sputum|phlegm|mucus)|ha?emoptysis",
            r"|咯血|咳血|咳出(?:了)?(?:很多|好多|大量|一口|几口)?(?:鲜)?血|痰(?:中|里)(?:带|有)(?:血|血丝)|血痰"
        ),
        None,
        None,
    ),
    (
        BlackStool,
        concat!(
            r"black\s+(?:and\s+)?(?:tarry\s+|tar-like\s+|sticky\s+|tar\s+)?(?:stools?|poop|poo|feces|faeces|bowel\s+movements?)|tarry\s+(?:stools?|poop|poo)",
            r"|(?:stools?|poop|poo|feces|faeces)\s+(?:is\s+|are\s+|was\s+|were\s+|looks?\s+|looked\s+|has\s+been\s+|have\s+been\s+)?(?:pitch\s+)?(?:black|tarry|like\s+tar)|melaena|melena",
            r"|黑便|柏油样?便|柏油(?:样|一样|似的)|大便(?:是|呈|发|变)?黑|拉(?:的)?黑(?:色)?(?:的)?(?:大便|便|屎)",
            r"|像柏油|拉(?:的)?黑(?:的|色)"
        ),
        Some(r"\biron\b|bismuth|pepto|licorice|liquorice|blueberr|charcoal|铁剂|补铁|铋剂|活性炭"),
        None,
    ),
    (
        Suicidal,
        concat!(
            r"suicid\w*|kill\w*\s+(?:myself|himself|herself|themselves|my\s*self)|end\w*\s+(?:my|his|her|their)\s+(?:own\s+)?life|end\s+it\s+all",
            r"|take\s+(?:my|his|her|their)\s+(?:own\s+)?life|(?:want|wanted|wanna|wants)\s+(?:to\s+)?die",
            r"|(?:wish|wishing)\s+(?:i|he|she)\s+(?:was|were)\s+dead|(?:better\s+off|rather\s+be)\s+dead",
            r"|(?:don'?t|do\s+not|doesn'?t)\s+want\s+to\s+(?:live|be\s+alive|be\s+here\s+anymore|wake\s+up|exist)",
            r"|no\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going\s+on|carrying\s+on)",
            r"|(?:don'?t|do\s+not|can'?t|cannot)\s+see\s+(?:any|the|a)\s+point\s+(?:in|to|of)\s+(?:living|life|going\s+on|being\s+alive|carrying\s+on)",
            r"|(?:life|living)\s+(?:is|feels)\s+(?:pointless|meaningless|not\s+worth\s+(?:it|living))|(?:plan|planning)\s+(?:to\s+)?(?:die|end\s+it|kill)",
            r"|想死|不想活|活不下去|活着没(?:有)?(?:意思|意义)|自杀|轻生|寻死|结束(?:自己的?)?生命|了结(?:自己|生命)|去死|死了算了|不如死了|一了百了",
            r"|(?:going|gonna|plan\w*|decided)\s+to\s+(?:take|swallow)\s+(?:them|it|all|the\s+(?:pills|tablets))|(?:have|got)\s+the\s+(?:pills|tablets)\s+(?:here|ready)|药(?:都)?准备好了|今晚就吃",
            r"",
            r"|不想(?:再)?拖累|拖累(?:大家|家人|你们|孩子)"
        ),
        Some(r"kill\s+(?:myself|me)\s+if\b.*(?:\blol\b|haha|lmao|😂|\bjk\b)|累死了|笑死|热死|烦死|想死.{0,10}哈哈"),
        Some(r"^(?:的心都有|了的心都有)"),
    ),
    (
        SelfHarm,
        concat!(
            r"self[\s-]*harm\w*|(?:hurt\w*|harm\w*|cut\w*|burn\w*)\s+(?:myself|himself|herself|themselves)\s+(?:on\s+purpose|deliberately|intentionally)",
            r"|(?:been|keep|kept|started|start)\s+(?:cutting|burning|hurting|harming)\s+(?:myself|himself|herself)",
            r"|(?:cut|cutting|slit|slitting|slash\w*)\s+(?:my|his|her)\s+wrists?|harm\w*\s+(?:myself|himself|herself)",
            r"|overdos\w*\s+(?:on\s+purpose|deliberately|intentionally)|(?:on\s+purpose|deliberately|intentionally)\s+(?:took|take|swallowed|overdosed)",
            r"|自残|自伤|自我伤害|伤害自己|割腕|割(?:自己|手腕|伤自己)|划(?:自己|手腕)|烫自己|故意(?:吃|服|吞)",
            r"|\bcut\s+(?:myself|himself|herself)|(?:want|going|gonna|plan\w*)\s+to\s+(?:hurt|cut|harm|burn)\s+(?:myself|himself|herself)|says\s+(?:she\x27?s|he\x27?s|shes|hes)\s+going\s+to\s+(?:cut|hurt|harm)",
            r"|(?:razor|blade)\b[^.!?]{0,60}(?:done|cut|cuts)|(?:done|did)\s+(?:a\s+few|some|loads)\s+(?:cuts\s+)?on\s+my\s+(?:arm|leg|wrist|thigh)|划手|在划|划了(?:好几|几)道",
            r"|burning\s+(?:herself|himself|myself)|又割了|割得(?:很|好)深|割了(?:好|很)深"
        ),
        Some(r"shaving|by\s+accident|accidental\w*|cooking|chopping|slicing|切菜|不小心|\bscars?\b|疤"),
        None,
    ),
    (
        Overdose,
        concat!(
            r"overdos\w*|(?:took|taken|swallowed|ate|had)\s+(?:a\s+whole\s+|an\s+entire\s+|the\s+whole\s+|all\s+(?:of\s+)?(?:my|his|her|the)\s+|a\s+(?:bottle|handful|packet|pack|box)\s+of\s+|\d{2,}\s+)",
            r"(?:bottle\s+of\s+|pack\s+of\s+|box\s+of\s+)?(?:\w+\s+){0,2}(?:pills|tablets|capsules|meds|medication|medicine|paracetamol|tylenol|acetaminophen|ibuprofen)",
            r"|(?:swallowed|drank|drunk)\s+(?:some\s+)?(?:bleach|antifreeze|poison|pesticide|weed\s*killer)",
            r"|服药过量|药物过量|过量服(?:药|用)|吃了?(?:一整瓶|整瓶|一瓶|一把|一大把|一板)(?:的)?(?:药|安眠药|药片|止痛药|退烧药)?|吞了?(?:一整瓶|整瓶|一瓶|一把|一大把)",
            r"|喝了?(?:农药|百草枯|敌敌畏|消毒液|84消毒液|漂白剂)|误服"
        ),
        None,
        None,
    ),
    (
        FeverWord,
        r"fever\w*|febrile|high\s+temp\w*|burning\s+up|pyrexi\w*|发烧|发热|高烧|高热|低烧|烧到|体温(?:很)?高|hot\s+to\s+(?:the\s+)?touch",
        Some(r"hay\s+fever|花粉热"),
        None,
    ),
    (
        HighFeverPhrase,
        concat!(
            r"fever\s+(?:that\s+|which\s+)?(?:won'?t|will\s+not|doesn'?t|does\s+not|isn'?t|is\s+not)\s+(?:go(?:ing)?\s+down|come\s+down|coming\s+down|break|budge|respond)",
            r"|高烧不退|高热不退|发烧不退|发热不退|烧(?:一直)?退不下|退烧药(?:也)?(?:吃了)?(?:都)?(?:没用|不管用)"
        ),
        None,
        None,
    ),
    (
        Confusion,
        concat!(
            r"confus\w*|disorient\w*|delirious|delirium|not\s+making\s+sense|(?:doesn'?t|does\s+not|didn'?t)\s+(?:know|recogni[sz]e)\s+(?:where|who|what\s+day|me|us)",
            r"|drowsy|lethargic|hard\s+to\s+wake|(?:can'?t|cannot)\s+(?:wake|rouse)|not\s+(?:himself|herself|themselves)|out\s+of\s+it",
            r"|意识(?:模糊|不清|障碍)|神志(?:不清|模糊|恍惚)|糊涂|胡言乱语|说胡话|叫不醒|嗜睡|反应(?:迟钝|很慢|变慢)|认不出(?:人|我|家人)|不认人|不认识(?:人|家人)",
            r"|can\x27?t\s+think\s+(?:straight|clearly)",
            r"|hallucinat\w*|picking\s+at\s+the\s+air|(?:seeing|sees|says\s+there\s+are)\s+(?:people|men|things|children|animals)\s+(?:in\s+the\s+room|that\s+aren\x27?t\s+there)|颠三倒四|发呆|看到墙上有人|说话(?:都)?说不清",
            r"|迷糊"
        ),
        None,
        Some(r"^\s+(?:about|by|why|whether|if|as\s+to|with|on|over|what|how|which)\b"),
    ),
    (
        RapidBreathing,
        concat!(
            r"(?:breathing|breathes|breaths)\s+(?:very\s+|really\s+|super\s+|so\s+)?(?:fast|rapid\w*|quick\w*)|rapid\s+breath\w*|fast\s+breath\w*|tachypn\w*",
            r"|(?:respiratory\s+rate|resp\s+rate)\s*(?:of|is|:)?\s*(?:2[2-9]|[3-9]\d)",
            r"|呼吸(?:很|非常|特别)?(?:急促|快|加快)|呼吸频率(?:很)?快|气促"
        ),
        None,
        None,
    ),
    (
        Mottled,
        concat!(
            r"mottl\w*|blotchy\s+(?:skin|legs|arms)|(?:skin|lips|hands|feet|legs)\s+(?:is\s+|are\s+|look\w*\s+|turn\w*\s+)?(?:blue|grey|gray|ashen|very\s+pale|purple|blotchy)",
            r"|cold\s+(?:and\s+)?(?:clammy\s+)?hands\s+and\s+feet",
            r"|皮肤(?:发)?花|花斑|(?:皮肤|手脚|嘴唇)(?:发)?(?:紫|青|灰)|面色(?:苍白|灰暗|发灰)|手脚冰凉|四肢冰冷|四肢湿冷"
        ),
        None,
        None,
    ),
    (
        LowBpWord,
        concat!(
            r"low\s+(?:blood\s+pressure|bp)|(?:blood\s+pressure|bp)\s+(?:is\s+|has\s+)?(?:dropped|dropping|very\s+low|really\s+low|low|crashing|tanking)|hypotensi\w*",
            r"|血压(?:很|非常|特别)?低|血压(?:下降|掉|骤降)|低血压"
        ),
        None,
        None,
    ),
    (
        LowUrine,
        concat!(
            r"(?:not|haven'?t|hasn'?t|no|hardly|barely)\s+(?:\w+\s+)?(?:peed|urinated|passed\s+urine|pee(?:d|ing)?)\s+(?:in|for|all)|no\s+urine|very\s+little\s+urine",
            r"|no\s+wet\s+(?:diapers?|nappies)|dry\s+(?:diapers?|nappies)",
            r"|(?:一天|一整天|\d+个?小时|半天)(?:都)?没(?:有)?(?:小便|尿|排尿)|尿(?:量)?(?:很少|特别少|明显减少)|无尿|少尿"
        ),
        None,
        None,
    ),
    (
        StiffNeck,
        concat!(
            r"stiff\s+neck|neck\s+(?:is\s+|feels\s+)?(?:very\s+|really\s+|so\s+|a\s+(?:bit|little)\s+|quite\s+|kind\s+of\s+)?(?:stiff|rigid)|neck\s+stiffness|nuchal\s+rigidity",
            r"|(?:can'?t|cannot|unable\s+to)\s+(?:bend|touch|put|bring)\s+(?:my|his|her|their)\s+(?:chin|head)\s+(?:to|down|forward|on)",
            r"|脖子(?:发)?(?:僵硬|僵|硬|发硬)|颈(?:部|项)?(?:僵硬|强直|发硬)|低头困难",
            r"|(?:can\x27?t|cannot|unable\s+to)\s+(?:bend|move|turn)\s+(?:my|his|her|their)\s+neck|脖子(?:\w{0,2})?(?:不能|没法)(?:低|弯|动)"
        ),
        None,
        None,
    ),
    (
        NonBlanching,
        concat!(
            r"(?:rash|spots?)\s+(?:that\s+|which\s+)?(?:doesn'?t|does\s+not|don'?t|do\s+not|won'?t|didn'?t|did\s+not)\s+(?:fade|blanch|disappear|go\s+away)\s+(?:under|with|when)",
            r"|non[\s-]*blanching",
            r"|(?:皮疹|疹子|红点|斑点|出血点)(?:用玻璃杯)?压(?:了)?(?:之|也|后|上去)?(?:都|也)?不(?:褪色|消失|变白|退)|压之不褪色?",
            r"|(?:glass|tumbler)\s+test[^.!?]{0,40}(?:don\x27?t|doesn\x27?t|not|won\x27?t|didn\x27?t)\s+fade|(?:玻璃杯|杯子)(?:\w{0,2})?压(?:着)?(?:也)?不(?:褪|退)色",
            r"|(?:doesn\x27?t|does\s+not|won\x27?t|don\x27?t)\s+(?:go|fade|disappear)\s+when\s+(?:i|you)\s+press\s+(?:a|the)\s+glass"
        ),
        None,
        None,
    ),
    (
        Petechiae,
        r"(?:purple|purplish|dark\s+red)\s+(?:spots|rash|blotches|pinpricks|dots)|petechi\w*|purpura|瘀点|瘀斑|出血点|紫(?:色|红色)(?:的)?(?:斑点|点|疹子|皮疹|斑)|紫癜",
        None,
        None,
    ),
    (
        Pregnancy,
        concat!(
            r"pregnan\w*|expecting\s+(?:a\s+baby|twins)|weeks?\s+along|(?:first|second|third)\s+trimester|gestation\w*",
            r"|怀孕|妊娠|孕(?:\d+|[一二三四五六七八九十]+)(?:周|个月)|孕期|孕早期|孕中期|孕晚期|怀了(?:孩子|宝宝)?|身孕|孕妇|有喜了",
            r"|验孕(?:棒)?(?:\w{0,2})?两道杠|停经(?:\d+|[一二三四五六七八九十]+)(?:周|天)"
        ),
        Some(concat!(
            r"pregnancy\s+test\s+(?:was\s+|is\s+|came\s+back\s+)?negative|negative\s+pregnancy\s+test|prevent\w*\s+pregnancy|morning[\s-]after",
            r"|contracepti\w*|birth\s+control|trying\s+to\s+(?:get|become)\s+pregnant|避孕|备孕|想怀孕|验孕(?:棒)?(?:是)?(?:阴性|一条杠)"
        )),
        None,
    ),
    (
        VaginalBleeding,
        concat!(
            r"bleed\w*|spotting|blood\s+(?:in|on)\s+(?:my\s+)?(?:underwear|pad|panties|knickers)|(?:passing|passed)\s+(?:blood\s+)?clots|vaginal\s+blood",
            r"|出血|流血|见红|有血块|内裤上有血|褐色分泌物",
            r"|下面(?:\w{0,3})?(?:出血|流血|见红|出了(?:好多|很多)?血)",
            r"|出(?:了)?(?:很多|好多|不少)血"
        ),
        Some(concat!(
            r"\bgums?\b|\bnose|tooth|teeth|\bcut\b|finger|ha?emorrhoid|piles|stool|\bpoop?\b|bowel|rectal|urine|\bpee\b|\beye|\bear\b|shaving|\blip",
            r"|牙龈|鼻|牙|痔|大便|便血|尿|眼|耳|手指|伤口|刮",
            r"|(?:tiny|little|small|light)\s+(?:bit\s+of\s+)?(?:brown\s+|pink\s+)?spotting|(?:a\s+)?bit\s+of\s+(?:pink|brown)\s+spotting|pink\s+spotting|brown\s+(?:spotting|discharge)|褐色(?:的)?分泌物|一点点(?:褐色)?"
        )),
        None,
    ),
    (
        SevereAbdominal,
        concat!(
            r"(?:severe|excruciating|unbearable|intense|agoni[sz]ing|worst|terrible|extreme|really\s+bad|very\s+bad)\s+(?:\w+\s+){0,2}(?:abdominal|stomach|belly|tummy|abdomen|pelvic)\s*(?:pain|ache|cramps?)",
            r"|(?:abdominal|stomach|belly|tummy)\s+(?:pain|ache)\s+(?:is\s+)?(?:so\s+)?(?:severe|excruciating|unbearable|10\s*/\s*10|10\s+out\s+of\s+10|the\s+worst)",
            r"|(?:doubled|curled)\s+(?:over|up)\s+(?:in|with)\s+pain",
            r"|(?:肚子|腹部|胃|小腹)剧(?:烈)?(?:痛|疼)|腹部?剧痛",
            r"|(?:剧烈|严重|难以忍受|刀割样|撕裂样)(?:的)?(?:腹痛|肚子(?:痛|疼)|胃(?:痛|疼)|腹部(?:疼痛|痛|疼)|小腹(?:痛|疼))",
            r"|(?:腹痛|肚子(?:痛|疼)|胃(?:痛|疼)|小腹(?:痛|疼))(?:得)?(?:剧烈|难忍|受不了|打滚|直不起腰)|疼得(?:在床上)?打滚"
        ),
        None,
        None,
    ),
    (
        RigidAbdomen,
        concat!(
            r"(?:abdomen|belly|stomach|tummy)\s+(?:is\s+|feels\s+)?(?:rigid|board[\s-]*like|hard\s+as\s+a\s+board|rock\s+hard)|rigid\s+(?:abdomen|belly|stomach)|board[\s-]*like\s+(?:abdomen|belly|stomach)",
            r"|板状腹|(?:肚子|腹部)(?:硬得?像(?:木)?板|像木板一样硬|硬邦邦)",
            r"|(?:belly|tummy|stomach|abdomen)\s+(?:is\s+)?(?:\w+\s+)?(?:hard|rigid)\s+(?:to\s+(?:touch|the\s+touch)|as\s+(?:a\s+)?(?:board|rock))|硬得(?:跟|像)木板一样|(?:整个)?肚子(?:都)?(?:是)?硬(?:的|邦邦)",
            r"|(?:tummy|belly|stomach|abdomen)\x27?s?\s+(?:\w+\s+)?hard\s+like\s+a\s+board|tight\s+as\s+a\s+drum|(?:肚子|腹部|肚皮)(?:\w{0,6})?(?:硬邦邦|(?:跟|像)(?:块)?(?:木)?板(?:板)?一样)|板硬|肚子(?:都)?硬了",
            r"|rigid\s+like|hard\s+like\s+(?:wood|a\s+rock|rock)|(?:肚子|腹部|肚皮)[^。！？]{0,10}(?:硬邦邦|(?:跟|像)(?:块)?(?:木)?板(?:板)?一样)|肚子(?:都)?硬(?:了)?|硬得像石头"
        ),
        None,
        None,
    ),
    (
        Seizure,
        concat!(
            r"seizur\w*|convuls\w*|(?:having|had)\s+(?:a\s+)?fit\b|epileptic\s+(?:attack|fit)|grand\s+mal",
            r"|抽搐|惊厥|癫痫(?:发作|大发作)|抽风|羊癫疯|羊角风|口吐白沫|(?:两眼|眼睛)(?:往)?上翻",
            r"|\bfitting\b|having\s+fits|(?:全身|浑身|手脚)抽|抽(?:了一次|个不停|起来)|又开始抽",
            r"|一直抽|接着抽|抽完(?:一次)?"
        ),
        Some(
            r"(?:seizure|epilepsy|anti-?seizure|anticonvulsant)s?\s+(?:med\w*|drugs?|pills?|tablets?)|seizure[\s-]+free|抗癫痫药|癫痫药|twitch\w*|muscle\s+spasms?|hypnic|(?:腿|脚|小腿|手指|胃)抽筋|眼皮跳|(?:his|her|my|their)\s+usual|care\s+plan|normal\s+pattern|came\s+(?:right\s+)?round\s+(?:after|straight\s+away|quickly)",
        ),
        None,
    ),
    (
        Unresponsive,
        concat!(
            r"unresponsive|unconscious|(?:lost|losing)\s+consciousness|collapsed|out\s+cold|(?:isn'?t|is\s+not|not)\s+respond\w*",
            r"|(?:won'?t|will\s+not|can'?t|cannot|couldn'?t)\s+(?:wake|rouse)\s+(?:him|her|them|my\s+\w+|the\s+\w+|baby)",
            r"|(?:he|she|they|baby|dad|mom|mum|father|mother)\s+(?:won'?t|will\s+not|isn'?t|is\s+not)\s+(?:wak\w*\s+up|respond\w*)",
            r"|(?:passed\s+out|fainted|collapsed)\s+(?:and\s+)?(?:now\s+)?(?:won'?t|isn'?t|can'?t|not|hasn'?t|has\s+not)\s+(?:wak\w*|respond\w*|come\s+(?:round|around|to))",
            r"|昏迷|不省人事|失去(?:了)?意识|意识丧失|叫不醒|喊(?:他|她)?(?:都)?不应|(?:叫|喊|拍)(?:他|她|孩子)?(?:都)?没(?:有)?反应|人没(?:有)?反应",
            r"|晕倒后?(?:一直)?(?:没醒|叫不醒|醒不过来)",
            r"|slumped|(?:isn\x27?t|is\s+not|not|stopped)\s+answering\s+(?:me|us)\b",
            r"|(?:won\x27?t|doesn\x27?t|not|isn\x27?t)\s+respond\w*\s+to\s+(?:me|us|anything|voice)",
            r"|(?:怎么|咋)(?:拍|叫|喊|摇)都不醒|没(?:有)?反应了"
        ),
        Some(
            r"every\s+(?:weekend|morning|day)|is\s+(?:that|this|it)\s+normal|才(?:起来|醒)|phone\s+line|(?:line|website|app|computer|laptop|screen)\s+(?:is\s+)?(?:completely\s+)?unresponsive|电话|网站|正常吗|睡得(?:太)?(?:死|沉)|back\s+to\s+normal",
        ),
        Some(r"^\s+to\s+(?:antibiotics|treatment|medication|meds|the\s+(?:antibiotics|treatment|medicine|tablets))"),
    ),
    (
        SaysHeartAttack,
        concat!(
            r"having\s+(?:a\s+)?heart\s+attack|heart\s+attack\s+(?:right\s+)?now",
            r"|(?:心梗|心肌梗死|心肌梗塞|心脏病)(?:发作|犯了)|(?:得|犯)了?心梗|是不是心梗|像是心梗|心梗了"
        ),
        None,
        None,
    ),
    (
        SaysStroke,
        concat!(
            r"having\s+(?:a\s+)?stroke|stroke\s+(?:right\s+)?now",
            r"|(?:中风|脑梗|脑卒中|脑出血|脑溢血)了|是不是(?:中风|脑梗|脑卒中)|像是(?:中风|脑梗)|(?:中风|脑梗)发作",
            r"|(?:觉得|怕)(?:是)?(?:中风|脑梗|脑出血)"
        ),
        Some(r"压着|压麻|睡麻|slept\s+on|sleeping\s+on"),
        None,
    ),
    (Fainting, r"faint(?:ed|ing)|passed\s+out|blacked\s+out|syncop\w*|晕倒|晕厥|昏倒|晕过去|昏厥|突然倒地", None, None),
];

struct Compiled {
    concept: Concept,
    re: Regex,
    exclude: Option<Regex>,
    not_followed: Option<Regex>,
}

static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    DEFS.iter()
        .chain(super::situations::DEFS)
        .map(|(concept, pat, exclude, not_followed)| Compiled {
            concept: *concept,
            re: Regex::new(&pat.replace("POSS", POSS)).unwrap_or_else(|e| panic!("{concept:?}: {e}")),
            exclude: exclude.map(|x| Regex::new(x).unwrap_or_else(|e| panic!("{concept:?} exclude: {e}"))),
            not_followed: not_followed.map(|x| Regex::new(x).unwrap()),
        })
        .collect()
});

/// The concepts affirmed in normalised `text`.
pub(crate) fn scan(text: &str) -> HashSet<Concept> {
    let mut found = HashSet::new();
    for c in COMPILED.iter() {
        let affirmed = c.re.find_iter(text).any(|m| {
            let sentence = &text[sentence_start(text, m.start())..sentence_end(text, m.end())];
            !c.exclude.as_ref().is_some_and(|x| x.is_match(sentence))
                && !c.not_followed.as_ref().is_some_and(|x| x.is_match(&text[m.end()..]))
                && !is_negated(text, m.start(), m.end())
                && !is_framed(text, m.start(), m.end())
        });
        if affirmed {
            found.insert(c.concept);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::text::normalize;

    fn has(text: &str, c: Concept) -> bool {
        scan(&normalize(text)).contains(&c)
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(COMPILED.len(), DEFS.len() + super::super::situations::DEFS.len());
    }

    #[test]
    fn exclusions_and_followers() {
        assert!(!has("I slept on my arm and now my left arm is numb", LimbWeakness));
        assert!(has("my left arm is numb", LimbWeakness));
        assert!(!has("My stools are black since I started iron tablets", BlackStool));
        assert!(!has("I'm confused about my dosage", Confusion));
        assert!(has("he is confused and feverish", Confusion));
        assert!(!has("it is not responding to antibiotics", Unresponsive));
        assert!(!has("my gums are bleeding", VaginalBleeding));
        assert!(!has("I can't breathe through my nose", SevereDyspnea));
    }
}
