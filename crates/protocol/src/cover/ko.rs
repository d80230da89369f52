//! `ko-market`: Korean chatter of traders near the border — market prices in won, yuan
//! and dollar rates, stock talk, short family news. Written by hand for lethe; the
//! prices are plausible ranges, not data.

use super::grammar::El::{Alt, Lit, Particle as P, Word};
use super::grammar::{El, Particle, Style, num};

/// When something was seen (sentence heads of price lines).
static WHEN: &[&str] = &[
    "오늘",
    "어제",
    "아침",
    "점심때",
    "저녁",
    "방금",
    "요즘",
    "이번주",
    "지난주",
    "그저께",
    "새벽",
    "아까",
    "낮에",
    "밤에",
    "주말",
    "월요일",
    "화요일",
    "수요일",
    "목요일",
    "금요일",
    "토요일",
    "일요일",
    "오전",
    "오후",
    "장날",
    "그제",
    "엊저녁",
    "첫새벽",
    "한낮",
    "해질녘",
    "좀전에",
    "어젯밤",
];

/// Towns and markets on both sides of the border.
static PLACE: &[&str] = &[
    "혜산",
    "회령",
    "신의주",
    "무산",
    "청진",
    "함흥",
    "평성",
    "남포",
    "원산",
    "강계",
    "만포",
    "삼지연",
    "온성",
    "새별",
    "김책",
    "단천",
    "단둥",
    "장백",
    "도문",
    "연길",
    "훈춘",
    "집안",
    "용정",
    "화룡",
    "사리원",
    "해주",
    "개성",
    "순천",
    "안주",
    "덕천",
    "길주",
    "나진",
    "선봉",
    "경성",
    "명천",
    "어랑",
    "부령",
    "대홍단",
    "보천",
    "운흥",
    "갑산",
    "풍서",
    "중강",
    "자성",
    "초산",
    "벽동",
    "창성",
    "삭주",
    "의주",
    "용천",
    "정주",
    "구성",
    "박천",
    "영변",
    "희천",
    "전천",
    "장강",
    "화평",
    "함주",
    "정평",
    "고원",
    "문천",
    "북청",
    "이원",
];

static MARKET: &[&str] = &["장마당", "시장", "역전 시장", "종합 시장", "도매상", "장에서", "골목 장", "큰 장"];

/// How the price went (after `원`).
static TREND: &[&str] = &[
    "이에요~",
    " 했어요",
    " 정도예요",
    " 정도 해요",
    " 가요",
    "이래요",
    " 나가요",
    " 하던데요",
    " 받더라고요",
    " 부르네요!",
    " 선이에요",
    " 그대로예요.",
    " 쯤 해요",
    "이면 싼 거예요!",
    " 넘었대요",
    " 밑으로 떨어졌어요",
    " 한대요",
    " 달래요.",
    "이었어요",
    " 쳐줘요",
    " 줬어요",
    "이면 사세요",
    " 불러요",
    " 받아요",
    " 올랐대요~",
    " 내렸대요",
    "이라네요",
    " 찍었어요",
    " 오르내려요",
    "이면 괜찮아요.",
    " 안팎이에요",
    " 하더라고요",
];

/// A price said with a particle and a verb (after `원`): 원에 팔려요, 원까지 불러요.
static PRICE_PARTICLE: &[&str] = &["에", "까지", "으로", "씩", "이나", " 정도에", "가량에", " 선에서"];
static PRICE_VERB: &[&str] = &[
    " 팔려요",
    " 샀어요",
    " 넘겼어요",
    " 나왔어요",
    " 거래돼요",
    " 들여왔어요",
    " 받았어요",
    " 내놨어요",
    " 팔았어요",
    " 사왔어요",
    " 흥정했어요",
    " 계산했어요",
    " 부르더라고요",
    " 줬대요",
    " 넘어갔어요",
    " 사들였어요.",
];

static RICE: &[&str] = &["쌀", "입쌀", "흰쌀", "햅쌀", "찹쌀", "중국쌀", "통일쌀", "벼"];
static CORN: &[&str] = &["강냉이", "옥수수", "통강냉이", "옥쌀"];
static FLOUR: &[&str] = &["밀가루", "전분", "국수", "농마국수"];
static OIL: &[&str] = &["콩기름", "식용유", "들기름", "참기름"];
static FUEL: &[&str] = &["디젤유", "휘발유", "경유", "등유"];
static MEAT: &[&str] = &["돼지고기", "닭고기", "소고기", "닭알"];
static SUGAR: &[&str] = &["흰설탕", "설탕", "맛내기", "소금"];
static VEG: &[&str] = &["배추", "감자", "무", "고추", "마늘", "양파", "파", "가지"];
static PER: &[&str] = &["한 키로에", "키로에", "키로당", "킬로 당"];

/// Prices of the goods, won per kg, in words: cheap goods to the won, dear ones to
/// the 10 won.
const RICE_PRICE: El = num(4_500, 1, 4096, Style::KoWords);
const CORN_PRICE: El = num(2_000, 1, 2048, Style::KoWords);
const FLOUR_PRICE: El = num(3_000, 1, 4096, Style::KoWords);
const OIL_PRICE: El = num(12_000, 10, 2048, Style::KoWords);
const FUEL_PRICE: El = num(11_000, 10, 2048, Style::KoWords);
const MEAT_PRICE: El = num(18_000, 10, 2048, Style::KoWords);
const SUGAR_PRICE: El = num(5_000, 1, 4096, Style::KoWords);
const VEG_PRICE: El = num(500, 1, 2048, Style::KoWords);

/// One good and its price.
static GOOD: &[&[El]] = &[
    &[Word(RICE), Lit(" "), Word(PER), Lit(" "), RICE_PRICE, Lit(" 원")],
    &[Word(CORN), Lit(" "), Word(PER), Lit(" "), CORN_PRICE, Lit(" 원")],
    &[Word(FLOUR), Lit(" "), Word(PER), Lit(" "), FLOUR_PRICE, Lit(" 원")],
    &[Word(OIL), Lit(" "), Word(PER), Lit(" "), OIL_PRICE, Lit(" 원")],
    &[Word(FUEL), Lit(" "), Word(PER), Lit(" "), FUEL_PRICE, Lit(" 원")],
    &[Word(MEAT), Lit(" "), Word(PER), Lit(" "), MEAT_PRICE, Lit(" 원")],
    &[Word(SUGAR), Lit(" "), Word(PER), Lit(" "), SUGAR_PRICE, Lit(" 원")],
    &[Word(VEG), Lit(" "), Word(PER), Lit(" "), VEG_PRICE, Lit(" 원")],
];

/// A line of a price list.
static ITEM: &[&[El]] = &[
    &[Word(RICE), Lit(" "), RICE_PRICE, Lit("\n")],
    &[Word(CORN), Lit(" "), CORN_PRICE, Lit("\n")],
    &[Word(FLOUR), Lit(" "), FLOUR_PRICE, Lit("\n")],
    &[Word(OIL), Lit(" "), OIL_PRICE, Lit("\n")],
    &[Word(FUEL), Lit(" "), FUEL_PRICE, Lit("\n")],
    &[Word(MEAT), Lit(" "), MEAT_PRICE, Lit("\n")],
    &[Word(SUGAR), Lit(" "), SUGAR_PRICE, Lit("\n")],
    &[Word(VEG), Lit(" "), VEG_PRICE, Lit("\n")],
];

/// A line of a price list, with the unit.
static ITEM_WON: &[&[El]] = &[
    &[Word(RICE), Lit(" "), RICE_PRICE, Lit(" 원\n")],
    &[Word(CORN), Lit(" "), CORN_PRICE, Lit(" 원\n")],
    &[Word(FLOUR), Lit(" "), FLOUR_PRICE, Lit(" 원\n")],
    &[Word(OIL), Lit(" "), OIL_PRICE, Lit(" 원\n")],
    &[Word(FUEL), Lit(" "), FUEL_PRICE, Lit(" 원\n")],
    &[Word(MEAT), Lit(" "), MEAT_PRICE, Lit(" 원\n")],
    &[Word(SUGAR), Lit(" "), SUGAR_PRICE, Lit(" 원\n")],
    &[Word(VEG), Lit(" "), VEG_PRICE, Lit(" 원\n")],
];

static LIST_END: &[&str] =
    &["정도요.", "끝.", "확인했어요", "참고하세요", "그래요", "그렇게 받았어요", "들은 대로 적었어요", "대충 이래요~"];

static LIST_HEAD: &[&str] = &["시세", "물가", "가격표", "장마당 소식", "들은 거", "장 시세", "쌀값 소식", "참고로"];

static TOPIC: &[&str] = &[
    "장사",
    "손님",
    "물건",
    "날씨",
    "버스",
    "기차",
    "전기",
    "수도",
    "도로",
    "세관",
    "단속",
    "짐",
    "차",
    "일감",
    "돈벌이",
    "값",
];
static STATE: &[&str] = &[
    " 잘 안 돼요..",
    " 많았어요",
    " 별로예요",
    " 좋아졌어요",
    " 나빠졌어요",
    " 괜찮아요",
    " 늦었어요",
    " 없어요",
    " 많아요",
    " 적어요",
    " 끊겼어요",
    " 들어왔어요",
    " 막혔어요",
    " 풀렸어요",
    " 심해요",
    " 그저 그래요",
    " 좀 나아요.",
    " 걱정이에요",
    " 바빴어요!",
    " 한가해요",
    " 비싸요",
    " 싸졌어요",
    " 밀렸어요",
    " 괜찮대요.",
    " 엄청 추워요!",
    " 따뜻해요",
    " 비 와요~",
    " 눈 와요",
    " 올 거예요",
    " 안 와요",
    " 잘 됐어요",
    " 조용해요.",
];

static RATE_HEAD: &[&str] = &["환율", "돈자리", "외화 시세", "외화값", "돈시세", "환전", "돈 바꾸는 값", "외환"];
static YUAN: &[&str] = &["위안", "중국돈", "인민폐", "위엔"];
static DOLLAR: &[&str] = &["달러", "딸라", "미국돈", "미화"];

static STOCK: &[&str] = &[
    "삼성전자",
    "하이닉스",
    "현대차",
    "카카오",
    "네이버",
    "셀트리온",
    "기아",
    "포스코",
    "엘지화학",
    "한화오션",
    "두산",
    "삼성바이오",
    "에코프로",
    "한미반도체",
    "우리금융",
    "신한지주",
    "현대모비스",
    "삼성물산",
    "현대건설",
    "크래프톤",
    "엔씨소프트",
    "아모레",
    "대한항공",
    "한전",
    "유한양행",
    "대우건설",
    "고려아연",
    "하나금융",
    "하이브",
    "농심",
    "롯데케미칼",
    "오뚜기",
];
static STOCK_WHEN: &[&str] = &["오늘", "어제", "장 중에", "종가", "아침에", "오후에", "장 마감", "시초가"];
static STOCK_MOVE: &[&str] = &[
    "올랐어요.",
    "빠졌어요.",
    "내렸어요",
    "올랐네요",
    "빠졌네요 ㅠ",
    "상승",
    "하락",
    "뛰었어요!",
    "밀렸어요",
    "반등했어요.",
    "떨어졌어요.",
    "오른 거예요",
    "내린 거래요",
    "올랐대요",
    "빠졌대요",
    "움직였어요",
];

static FAMILY: &[&str] = &[
    "어머니",
    "아버지",
    "할머니",
    "할아버지",
    "큰아들",
    "작은아들",
    "큰딸",
    "막내",
    "며느리",
    "사위",
    "동생",
    "언니",
    "누나",
    "형님",
    "삼촌",
    "이모",
    "고모",
    "외삼촌",
    "조카",
    "손주",
    "시어머니",
    "장모님",
    "애들",
    "집사람",
    "큰집",
    "작은집",
    "사촌",
    "오빠",
    "시누이",
    "올케",
    "외할머니",
    "큰어머니",
];
static NEWS: &[&str] = &[
    "건강이 좋아지셨어요!",
    "감기 다 나았어요",
    "병원 다녀왔어요",
    "학교 잘 다녀요",
    "시험 잘 봤대요",
    "이사 잘 했어요",
    "일 잘 하고 있어요",
    "밥 잘 먹고 있어요",
    "결혼 날짜 잡았어요",
    "요즘 바빠요",
    "무릎이 좀 아프대요",
    "안부 전해 달래요",
    "많이 컸어요",
    "취직했어요",
    "잘 있다고 전해주세요~",
    "걱정 안 해도 돼요.",
    "허리가 안 좋아요",
    "약 잘 드시고 있어요",
    "집에 잘 도착했어요",
    "전화 왔었어요",
    "다음 달에 온대요",
    "돈 잘 받았대요",
    "고맙다고 했어요~",
    "김장 끝냈어요",
    "장사 시작했어요",
    "새 집 구했어요",
    "아이 낳았어요",
    "학원 다녀요",
    "퇴원했어요",
    "운동 다녀요",
    "기운 없어 보여요",
    "밭일 하러 갔어요",
];
static EVENT: &[&str] = &[
    "생일이에요.",
    "제사예요.",
    "돌잔치 해요",
    "이사해요.",
    "병원 가요",
    "올라와요",
    "내려가요",
    "결혼식이에요.",
    "졸업해요.",
    "입학해요",
    "휴가예요.",
    "집들이 해요",
    "환갑이에요.",
    "출장 가요.",
    "퇴원해요",
    "장 보러 가요",
];
static SPENT: &[&str] = &["병원비", "약값", "학비", "집세", "잔치 비용", "이사 비용", "수술비", "용돈"];
static SPENT_HOW: &[&str] =
    &[" 들었어요", " 나왔어요", " 보냈어요", " 냈어요", " 모았어요", " 빌렸어요", " 갚았어요", " 부탁했어요"];
static GREET: &[&str] = &[
    "다들 잘 계시죠",
    "잘 지내시죠",
    "오랜만이에요",
    "답장이 늦었네요",
    "저는 잘 있어요",
    "연락이 늦어서 미안해요",
    "정신이 하나도 없네요",
    "이제 봤어요",
    "전화 못 받아서 미안해요",
    "사진 잘 받았어요",
    "그쪽은 좀 어때요",
    "여기는 다 괜찮아요",
    "부탁한 거 알아봤어요",
    "그때 말한 거 있잖아요",
    "내일 다시 연락할게요",
    "시간 날 때 전화 주세요",
];
static GREET_TAIL: &[&str] = &[
    " 감기 조심하세요",
    " 날씨가 많이 추워요",
    " 밥 잘 챙겨 드세요",
    " 무리하지 마세요",
    " 애들도 잘 있어요",
    " 걱정 마세요",
    " 몸 건강히 계세요",
    " 또 연락할게요",
    " 요즘 다 힘들죠 뭐",
    " 다음에 또 얘기해요",
    " 좋은 소식 있으면 알려줘요",
    " 수고 많으셨어요",
    " 조심히 다니세요",
    " 별일 없죠",
    " 이따 봐요",
    " 푹 쉬세요",
];
static WEEKDAY: &[&str] = &["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일", "주말"];

/// The sentences of `ko-market`.
pub(crate) static SENTENCES: &[&[El]] = &[
    // 오늘 혜산 장마당 쌀 키로에 오천이백삼십원 정도예요 / 오늘 장사가 잘 안 돼요
    &[
        Word(WHEN),
        Lit(" "),
        Alt(&[
            &[
                Word(PLACE),
                Lit(" "),
                Word(MARKET),
                Lit(" "),
                Alt(GOOD),
                Alt(&[&[Word(TREND)], &[Word(PRICE_PARTICLE), Word(PRICE_VERB)]]),
            ],
            &[Word(TOPIC), P(Particle::IGa), Word(STATE)],
        ]),
    ],
    // 혜산 시세 / 쌀 오천이백삼십칠 / 강냉이 삼천백 / ... / 끝
    &[
        Word(PLACE),
        Lit(" 쪽 시세\n"),
        Alt(ITEM),
        Alt(ITEM),
        Alt(&[
            &[Lit("그리고 또\n"), Alt(ITEM)],
            &[Lit("또 있어요\n"), Alt(ITEM), Alt(ITEM)],
            &[Lit("거기다 또\n"), Alt(ITEM), Alt(ITEM), Alt(ITEM)],
            &[Lit("하나 더\n"), Alt(ITEM), Alt(ITEM), Alt(ITEM), Alt(ITEM)],
        ]),
        Word(LIST_END),
    ],
    // 물가 / 쌀 ... / 정도
    &[Word(LIST_HEAD), Lit("\n"), Alt(ITEM_WON), Alt(ITEM_WON), Alt(ITEM_WON), Word(LIST_END)],
    // 환율 위안 천육백구십삼원 달러 2만 1천5백원이래요
    &[
        Word(RATE_HEAD),
        Lit(" "),
        Word(YUAN),
        Lit(" "),
        num(900, 1, 4096, Style::KoWords),
        Lit(" 원 "),
        Word(DOLLAR),
        Lit(" "),
        num(7_000, 100, 512, Style::KoUnits),
        Lit(" 원"),
        Word(TREND),
    ],
    // 삼성전자 오늘 7만1천3백원 2.3% 올랐어요
    &[
        Word(STOCK),
        Lit(" "),
        Word(STOCK_WHEN),
        Lit(" "),
        num(5_000, 100, 4096, Style::KoUnits),
        Lit(" 원 "),
        num(1, 1, 128, Style::Decimal(1)),
        Lit("% "),
        Word(STOCK_MOVE),
    ],
    // 다들 잘 계시죠 감기 조심하세요
    &[Word(GREET), Word(GREET_TAIL)],
    // 장사가 잘 안 돼요..
    &[Word(TOPIC), P(Particle::IGa), Word(STATE)],
    // 어머니는 건강이 좋아지셨어요 / 큰딸은 오는 11월 23일에 생일이에요
    &[
        Word(FAMILY),
        P(Particle::EunNeun),
        Lit(" "),
        Alt(&[
            &[Word(NEWS)],
            &[
                Lit("오는 "),
                num(1, 1, 12, Style::Plain),
                Lit("월 "),
                num(1, 1, 31, Style::Plain),
                Lit("일에 "),
                Word(EVENT),
            ],
            &[Lit("이번 "), Word(WEEKDAY), Lit("에 "), Word(EVENT)],
            &[Word(SPENT), Lit(" "), num(10_000, 10_000, 128, Style::KoUnits), Lit(" 원"), Word(SPENT_HOW)],
        ]),
    ],
];
