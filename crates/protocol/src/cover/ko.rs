//! `ko-market`: Korean chatter of traders near the border — market prices in won, yuan
//! and dollar rates, stock talk, short family news. Written by hand for lethe; the
//! prices are plausible ranges, not data.

use super::grammar::El::{Alt, Lit, Particle as P, Word};
use super::grammar::{El, Particle, Style, num};

/// When something was seen (sentence heads of price lines).
static WHEN: &[&str] = &[
    "오늘", "어제", "아침", "점심때", "저녁", "방금", "요즘", "이번주", "지난주", "그저께",
    "새벽", "아까", "낮에", "밤에", "주말", "월요일", "화요일", "수요일", "목요일", "금요일",
    "토요일", "일요일", "오전", "오후", "장날", "그제", "엊저녁", "첫새벽", "한낮", "해질녘",
    "좀전에", "어젯밤",
];

/// Towns and markets on both sides of the border.
static PLACE: &[&str] = &[
    "혜산", "회령", "신의주", "무산", "청진", "함흥", "평성", "남포", "원산", "강계",
    "만포", "삼지연", "온성", "새별", "김책", "단천", "단둥", "장백", "도문", "연길",
    "훈춘", "집안", "용정", "화룡", "사리원", "해주", "개성", "순천", "안주", "덕천",
    "길주", "나진", "선봉", "경성", "명천", "어랑", "부령", "대홍단", "보천", "운흥",
    "갑산", "풍서", "중강", "자성", "초산", "벽동", "창성", "삭주", "의주", "용천",
    "정주", "구성", "박천", "영변", "희천", "전천", "장강", "화평", "함주", "정평",
    "고원", "문천", "북청", "이원",
];

static MARKET: &[&str] = &[
    "장마당", "시장", "역전 시장", "종합 시장", "도매상", "장에서", "골목 장", "큰 장",
];

/// How the price went (after `원`).
static TREND: &[&str] = &[
    "이에요~", " 했어요", " 정도예요", "까지 올랐어요", "으로 내렸어요", "이래요",
    "에 팔려요", "에 샀어요", " 받더라고요", " 부르네요!", " 선이에요", " 그대로예요.",
    " 쯤 해요", "이면 싼 거예요!", " 넘었대요", " 밑으로 떨어졌어요", "에 넘겼어요",
    " 달래요.", "이었어요", "에 나왔어요", " 줬어요", "이면 사세요", " 불러요",
    "에 거래돼요", " 올랐대요~", " 내렸대요", "이라네요", " 찍었어요", "에 들여왔어요",
    "이면 괜찮아요.", " 안팎이에요", " 하더라고요",
];

static RICE: &[&str] = &["쌀", "입쌀", "흰쌀", "햅쌀", "찹쌀", "중국쌀", "통일쌀", "벼"];
static CORN: &[&str] = &["강냉이", "옥수수", "통강냉이", "옥쌀"];
static FLOUR: &[&str] = &["밀가루", "전분", "국수", "농마국수"];
static OIL: &[&str] = &["콩기름", "식용유", "들기름", "참기름"];
static FUEL: &[&str] = &["디젤유", "휘발유", "경유", "등유"];
static MEAT: &[&str] = &["돼지고기", "닭고기", "소고기", "오리고기"];
static SUGAR: &[&str] = &["사탕가루", "설탕", "맛내기", "소금"];
static VEG: &[&str] = &["배추", "감자", "무", "고추", "마늘", "양파", "파", "오이"];
static PER: &[&str] = &["키로에", "한 키로", "키로당", "킬로에"];

/// Prices of the goods, won per kg, in words: cheap goods to the 10 won, dear ones to
/// the 100 won.
const RICE_PRICE: El = num(4_500, 10, 512, Style::KoWords);
const CORN_PRICE: El = num(2_000, 10, 256, Style::KoWords);
const FLOUR_PRICE: El = num(3_000, 10, 512, Style::KoWords);
const OIL_PRICE: El = num(12_000, 100, 256, Style::KoWords);
const FUEL_PRICE: El = num(11_000, 100, 256, Style::KoWords);
const MEAT_PRICE: El = num(18_000, 100, 256, Style::KoWords);
const SUGAR_PRICE: El = num(5_000, 10, 512, Style::KoWords);
const VEG_PRICE: El = num(500, 10, 256, Style::KoWords);

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
    &[Word(RICE), Lit(" "), RICE_PRICE, Lit(" 원\n")],
    &[Word(CORN), Lit(" "), CORN_PRICE, Lit(" 원\n")],
    &[Word(FLOUR), Lit(" "), FLOUR_PRICE, Lit(" 원\n")],
    &[Word(OIL), Lit(" "), OIL_PRICE, Lit(" 원\n")],
    &[Word(FUEL), Lit(" "), FUEL_PRICE, Lit(" 원\n")],
    &[Word(MEAT), Lit(" "), MEAT_PRICE, Lit(" 원\n")],
    &[Word(SUGAR), Lit(" "), SUGAR_PRICE, Lit(" 원\n")],
    &[Word(VEG), Lit(" "), VEG_PRICE, Lit(" 원\n")],
];

static LIST_END: &[&str] = &[
    "정도요.", "끝.", "확인했어요", "참고하세요", "그래요", "이렇게 받았어요", "들은 대로 적었어요", "대충 이래요~",
];

static LIST_HEAD: &[&str] = &[
    "시세", "물가", "가격표", "장마당 소식", "들은 거", "장 시세", "쌀값 소식", "참고로",
];

static TOPIC: &[&str] = &[
    "장사", "손님", "물건", "날씨", "버스", "기차", "전기", "수도", "도로", "세관",
    "단속", "짐", "차", "일", "돈", "값",
];
static STATE: &[&str] = &[
    " 잘 안 돼요..", " 많았어요", " 별로예요", " 좋아졌어요", " 나빠졌어요", " 괜찮아요",
    " 늦었어요", " 없어요", " 많아요", " 적어요", " 끊겼어요", " 들어왔어요", " 막혔어요",
    " 풀렸어요", " 심해요", " 그저 그래요", " 좀 나아요.", " 걱정이에요", " 바빴어요!", " 한가해요",
    " 비싸요", " 싸졌어요", " 밀렸어요", " 괜찮대요.", " 엄청 추워요!", " 따뜻해요", " 비 와요~",
    " 눈 와요", " 올 거예요", " 안 와요", " 잘 됐어요", " 조용해요.",
];

static RATE_HEAD: &[&str] = &["환율", "돈자리", "외화 시세", "외화값", "돈시세", "환전", "돈 바꾸는 값", "외환"];
static YUAN: &[&str] = &["위안", "중국돈", "인민폐", "위엔"];
static DOLLAR: &[&str] = &["달러", "딸라", "미국돈", "미화"];

static STOCK: &[&str] = &[
    "삼성전자", "하이닉스", "현대차", "카카오", "네이버", "셀트리온", "기아", "포스코",
    "엘지화학", "한화오션", "두산", "삼성바이오", "에코프로", "한미반도체", "우리금융", "신한지주",
    "현대모비스", "삼성물산", "현대건설", "크래프톤", "엔씨소프트", "아모레", "대한항공", "한전",
    "유한양행", "대우건설", "고려아연", "하나금융", "하이브", "농심", "롯데케미칼", "오뚜기",
];
static STOCK_WHEN: &[&str] = &["오늘", "어제", "장중", "종가", "아침에", "오후에", "장 마감", "시초가"];
static STOCK_MOVE: &[&str] = &[
    "올랐어요.", "빠졌어요.", "내렸어요", "올랐네요", "빠졌네요 ㅠ", "상승", "하락",
    "뛰었어요!", "밀렸어요", "반등했어요.", "떨어졌어요.", "오른 거예요",
    "내린 거래요", "올랐대요", "빠졌대요", "움직였어요",
];

static FAMILY: &[&str] = &[
    "어머니", "아버지", "할머니", "할아버지", "큰아들", "작은아들", "큰딸", "막내",
    "며느리", "사위", "동생", "언니", "누나", "형님", "삼촌", "이모", "고모", "외삼촌",
    "조카", "손주", "시어머니", "장모님", "애들", "집사람", "큰집", "작은집", "사촌", "오빠",
    "시누이", "올케", "외할머니", "큰어머니",
];
static NEWS: &[&str] = &[
    "건강이 좋아지셨어요!", "감기 다 나았어요", "병원 다녀왔어요", "학교 잘 다녀요",
    "시험 잘 봤대요", "이사 잘 했어요", "일 잘 하고 있어요", "밥 잘 먹고 있어요",
    "결혼 날짜 잡았어요", "요즘 바빠요", "무릎이 좀 아프대요", "안부 전해 달래요",
    "많이 컸어요", "취직했어요", "잘 있다고 전해주세요~", "걱정 안 해도 돼요.",
    "허리가 안 좋아요", "약 잘 드시고 있어요", "집에 잘 도착했어요", "전화 왔었어요",
    "다음 달에 온대요", "돈 잘 받았대요", "고맙다고 했어요~", "김장 끝냈어요",
    "장사 시작했어요", "새 집 구했어요", "아이 낳았어요", "학원 다녀요",
    "퇴원했어요", "운동 다녀요", "기운 없어 보여요", "밭일 하러 갔어요",
];
static EVENT: &[&str] = &[
    "생일이에요.", "제사예요.", "돌잔치 해요", "이사해요.", "병원 가요", "올라와요",
    "내려가요", "결혼식이에요.", "졸업해요.", "입학해요", "휴가예요.", "집들이 해요",
    "환갑이에요.", "출장 가요.", "퇴원해요", "장 보러 가요",
];
static SPENT: &[&str] = &[
    "병원비", "약값", "학비", "집세", "잔치 비용", "이사 비용", "수술비", "용돈",
];
static SPENT_HOW: &[&str] = &[
    " 들었어요", " 나왔어요", " 보냈어요", " 냈어요", " 모았어요", " 빌렸어요",
    " 갚았어요", " 부탁했어요",
];
static WEEKDAY: &[&str] = &["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일", "주말"];

/// The sentences of `ko-market`.
pub(crate) static SENTENCES: &[&[El]] = &[
    // 오늘 혜산 장마당 쌀 키로에 오천이백삼십원 정도예요 / 오늘 장사가 잘 안 돼요
    &[
        Word(WHEN), Lit(" "),
        Alt(&[
            &[Word(PLACE), Lit(" "), Word(MARKET), Lit(" "), Alt(GOOD), Word(TREND)],
            &[Word(TOPIC), P(Particle::IGa), Word(STATE)],
        ]),
    ],
    // 혜산 시세 / 쌀 오천이백삼십원 / 강냉이 삼천백원 / ... / 끝
    &[
        Word(PLACE), Lit(" 시세\n"), Alt(ITEM), Alt(ITEM),
        Alt(&[
            &[Lit("그리고\n"), Alt(ITEM)],
            &[Lit("또\n"), Alt(ITEM), Alt(ITEM)],
            &[Lit("거기다\n"), Alt(ITEM), Alt(ITEM), Alt(ITEM)],
        ]),
        Word(LIST_END),
    ],
    // 물가 / 쌀 ... / 정도
    &[Word(LIST_HEAD), Lit("\n"), Alt(ITEM), Alt(ITEM), Alt(ITEM), Word(LIST_END)],
    // 환율 위안 천육백구십삼원 달러 2만 1천5백원이래요
    &[
        Word(RATE_HEAD), Lit(" "), Word(YUAN), Lit(" "), num(900, 1, 4096, Style::KoWords),
        Lit(" 원 "), Word(DOLLAR), Lit(" "), num(7_000, 100, 512, Style::KoUnits), Lit(" 원"),
        Word(TREND),
    ],
    // 위안 시세가 오늘 천이백삼십원이에요
    &[
        Word(YUAN), Lit(" 시세가 "), Word(WHEN), Lit(" "), num(900, 1, 4096, Style::KoWords),
        Lit(" 원"), Word(TREND),
    ],
    // 삼성전자 오늘 7만1천3백원 2.3% 올랐어요
    &[
        Word(STOCK), Lit(" "), Word(STOCK_WHEN), Lit(" "), num(5_000, 100, 4096, Style::KoUnits),
        Lit("원 "), num(1, 1, 128, Style::Decimal(1)), Lit("% "), Word(STOCK_MOVE),
    ],
    // 어머니는 건강이 좋아지셨어요 / 큰딸은 오는 11월 23일에 생일이에요
    &[
        Word(FAMILY), P(Particle::EunNeun), Lit(" "),
        Alt(&[
            &[Word(NEWS)],
            &[Lit("오는 "), num(1, 1, 12, Style::Plain), Lit("월 "), num(1, 1, 31, Style::Plain), Lit("일에 "), Word(EVENT)],
            &[Lit("이번 "), Word(WEEKDAY), Lit("에 "), Word(EVENT)],
            &[Word(SPENT), Lit(" "), num(10_000, 10_000, 128, Style::KoUnits), Lit(" 원"), Word(SPENT_HOW)],
        ]),
    ],
];
