//! `ko-market`: Korean chatter of traders near the border — market prices in won, yuan
//! and dollar rates, stock talk, short family news. Written by hand for lethe; the
//! prices are plausible ranges, not data.

use super::grammar::El::{Alt, Lit, Particle as P, Word};
use super::grammar::{El, Particle, Style, num};

/// When something was seen (sentence heads of price lines).
static WHEN: &[&str] = &[
    "오늘", "어제", "아침", "점심때", "저녁", "방금", "요즘", "이번주", "지난주", "그저께",
    "새벽", "아까", "낮에", "밤에", "주말", "월요일",
];

/// Towns and markets on both sides of the border.
static PLACE: &[&str] = &[
    "혜산", "회령", "신의주", "무산", "청진", "함흥", "평성", "남포", "원산", "강계",
    "만포", "삼지연", "온성", "새별", "김책", "단천", "단둥", "장백", "도문", "연길",
    "훈춘", "집안", "용정", "화룡", "사리원", "해주", "개성", "순천", "안주", "덕천",
    "길주", "나진",
];

static MARKET: &[&str] = &["장마당", "시장", "역전시장", "종합시장", "도매상", "장에서"];

/// How the price went.
static TREND: &[&str] = &[
    "이에요.", "했어요.", "정도예요.", "까지 올랐어요.", "으로 내렸어요.", "이래요.",
    "에 팔려요.", "에 샀어요.", "받더라고요.", "부르네요.", "선이에요.", "그대로예요.",
    "쯤 해요.", "이면 싼 거예요.", "넘었대요.", "밑으로 떨어졌어요.",
];

static RICE: &[&str] = &["쌀", "입쌀", "흰쌀", "햅쌀"];
static CORN: &[&str] = &["강냉이", "옥수수", "통강냉이"];
static FLOUR: &[&str] = &["밀가루", "전분", "국수"];
static OIL: &[&str] = &["콩기름", "식용유", "들기름"];
static FUEL: &[&str] = &["디젤유", "휘발유", "경유", "등유"];
static MEAT: &[&str] = &["돼지고기", "닭고기", "소고기"];
static SUGAR: &[&str] = &["사탕가루", "설탕", "맛내기"];
static VEG: &[&str] = &["배추", "감자", "무", "고추", "마늘", "양파"];
static PER: &[&str] = &["1키로", "키로에", "한 키로", "1kg"];

/// One good and its price, each good with its own range (won per kg).
static GOOD: &[&[El]] = &[
    &[Word(RICE), Lit(" "), Word(PER), Lit(" "), num(4_500, 10, 512, Style::Grouped), Lit("원")],
    &[Word(CORN), Lit(" "), Word(PER), Lit(" "), num(2_000, 10, 256, Style::Grouped), Lit("원")],
    &[Word(FLOUR), Lit(" "), Word(PER), Lit(" "), num(3_000, 10, 512, Style::Grouped), Lit("원")],
    &[Word(OIL), Lit(" "), Word(PER), Lit(" "), num(12_000, 50, 256, Style::Grouped), Lit("원")],
    &[Word(FUEL), Lit(" "), Word(PER), Lit(" "), num(11_000, 50, 256, Style::Grouped), Lit("원")],
    &[Word(MEAT), Lit(" "), Word(PER), Lit(" "), num(18_000, 100, 256, Style::Grouped), Lit("원")],
    &[Word(SUGAR), Lit(" "), Word(PER), Lit(" "), num(6_000, 20, 256, Style::Grouped), Lit("원")],
    &[Word(VEG), Lit(" "), Word(PER), Lit(" "), num(500, 10, 256, Style::Grouped), Lit("원")],
];

/// A short list item: good and price, no unit.
static ITEM: &[&[El]] = &[
    &[Word(RICE), Lit(" "), num(4_500, 10, 512, Style::Plain), Lit("원, ")],
    &[Word(CORN), Lit(" "), num(2_000, 10, 256, Style::Plain), Lit("원, ")],
    &[Word(FLOUR), Lit(" "), num(3_000, 10, 512, Style::Plain), Lit("원, ")],
    &[Word(OIL), Lit(" "), num(12_000, 50, 256, Style::Plain), Lit("원, ")],
    &[Word(FUEL), Lit(" "), num(11_000, 50, 256, Style::Plain), Lit("원, ")],
    &[Word(MEAT), Lit(" "), num(18_000, 100, 256, Style::Plain), Lit("원, ")],
    &[Word(SUGAR), Lit(" "), num(6_000, 20, 256, Style::Plain), Lit("원, ")],
    &[Word(VEG), Lit(" "), num(500, 10, 256, Style::Plain), Lit("원, ")],
];

static LAST_ITEM: &[&[El]] = &[
    &[Word(RICE), Lit(" "), num(4_500, 10, 512, Style::Plain), Lit("원")],
    &[Word(CORN), Lit(" "), num(2_000, 10, 256, Style::Plain), Lit("원")],
    &[Word(FLOUR), Lit(" "), num(3_000, 10, 512, Style::Plain), Lit("원")],
    &[Word(OIL), Lit(" "), num(12_000, 50, 256, Style::Plain), Lit("원")],
    &[Word(FUEL), Lit(" "), num(11_000, 50, 256, Style::Plain), Lit("원")],
    &[Word(MEAT), Lit(" "), num(18_000, 100, 256, Style::Plain), Lit("원")],
    &[Word(SUGAR), Lit(" "), num(6_000, 20, 256, Style::Plain), Lit("원")],
    &[Word(VEG), Lit(" "), num(500, 10, 256, Style::Plain), Lit("원")],
];

static LIST_END: &[&str] = &[
    ".", "이요.", "입니다.", " 참고하세요.", " 그래요.", " 정도.", "! ", " 확인했어요.",
];

static YUAN: &[&str] = &["위안", "중국돈", "인민폐", "원화 대비 위안"];
static DOLLAR: &[&str] = &["달러", "딸라", "미국돈", "미화"];
static RATE: &[&str] = &["시세", "환율", "값", "돈자리"];

static STOCK: &[&str] = &[
    "삼성전자", "하이닉스", "현대차", "카카오", "네이버", "셀트리온", "기아", "포스코",
    "엘지화학", "한화오션", "두산", "삼성바이오", "에코프로", "한미반도체", "KB금융", "신한지주",
    "현대모비스", "LG전자", "삼성SDI", "크래프톤", "엔씨소프트", "아모레", "대한항공", "한전",
    "KT", "SK텔레콤", "고려아연", "HMM", "하이브", "CJ", "롯데케미칼", "S-Oil",
];
static STOCK_WHEN: &[&str] = &["오늘", "어제", "장중", "종가", "아침에", "오후에", "장 마감", "시초가"];
static STOCK_MOVE: &[&str] = &[
    "올랐어요.", "빠졌어요.", "내렸어요.", "올랐네요.", "빠졌네요 ㅠ", "상승.", "하락.",
    "뛰었어요!", "밀렸어요.", "반등했어요.", "떨어졌어요.", "오른 거예요.",
    "내린 거래요.", "올랐대요.", "빠졌대요.", "움직였어요.",
];

static FAMILY: &[&str] = &[
    "어머니", "아버지", "할머니", "할아버지", "큰아들", "작은아들", "큰딸", "막내",
    "며느리", "사위", "동생", "언니", "누나", "형님", "삼촌", "이모", "고모", "외삼촌",
    "조카", "손주", "시어머니", "장모님", "애들", "집사람",
];
static NEWS: &[&str] = &[
    "건강이 좋아지셨어요.", "감기 다 나았어요.", "병원 다녀왔어요.", "학교 잘 다녀요.",
    "시험 잘 봤대요.", "이사 잘 했어요.", "일 잘 하고 있어요.", "밥 잘 먹고 있어요.",
    "결혼 날짜 잡았어요.", "요즘 바빠요.", "무릎이 좀 아프대요.", "안부 전해 달래요.",
    "많이 컸어요.", "취직했어요.", "잘 있다고 전해주세요.", "걱정 안 해도 돼요.",
    "허리가 안 좋아요.", "약 잘 드시고 있어요.", "집에 잘 도착했어요.", "전화 왔었어요.",
    "다음 달에 온대요.", "돈 잘 받았대요.", "고맙다고 했어요.", "김장 끝냈어요.",
    "장사 시작했어요.", "새 집 구했어요.", "아이 낳았어요.", "학원 다녀요.",
    "퇴원했어요.", "운동 다녀요.", "기운 없어 보여요.", "밭일 하러 갔어요.",
];
static EVENT: &[&str] = &[
    "생일이에요.", "제사예요.", "돌잔치 해요.", "이사해요.", "병원 가요.", "올라와요.",
    "내려가요.", "결혼식이에요.", "졸업해요.", "입학해요.", "휴가예요.", "집들이 해요.",
    "환갑이에요.", "출장 가요.", "퇴원해요.", "장 보러 가요.",
];
static WEEKDAY: &[&str] = &["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일", "주말"];

static SIGNOFF: &[&str] = &[
    "수고하세요.", "연락 주세요.", "조심히 다니세요.", "내일 또 알려드릴게요.",
    "잘 지내시죠?", "감사합니다.", "시간 날 때 답장 주세요.", "좋은 하루 보내세요.",
];

/// The sentences of `ko-market`.
pub(crate) static SENTENCES: &[&[El]] = &[
    // 오늘 혜산 장마당 쌀 1키로 5,230원 정도예요.
    &[
        Word(WHEN), Lit(" "), Word(PLACE), Lit(" "), Word(MARKET), Lit(" "),
        Alt(GOOD), Word(TREND),
    ],
    // 혜산 시세: 쌀 5230, 강냉이 2810, 콩기름 18500원.
    &[
        Word(PLACE), Lit(" 시세: "), Alt(ITEM), Alt(ITEM),
        Alt(&[
            &[Lit("그리고 "), Alt(LAST_ITEM)],
            &[Lit("또 "), Alt(ITEM), Alt(LAST_ITEM)],
            &[Lit("끝으로 "), Alt(ITEM), Alt(ITEM), Alt(LAST_ITEM)],
        ]),
        Word(LIST_END),
    ],
    // 위안 시세가 오늘 1,230원이에요.
    &[
        Word(YUAN), Lit(" "), Word(RATE), P(Particle::IGa), Lit(" "), Word(WHEN), Lit(" "),
        num(900, 5, 1024, Style::Grouped), Lit("원"), Word(TREND),
    ],
    &[
        Word(DOLLAR), Lit(" "), Word(RATE), P(Particle::IGa), Lit(" "), Word(WHEN), Lit(" "),
        num(7_000, 25, 1024, Style::Grouped), Lit("원"), Word(TREND),
    ],
    // 삼성전자 오늘 71,300원, 2.3% 올랐어요.
    &[
        Word(STOCK), Lit(" "), Word(STOCK_WHEN), Lit(" "), num(5_000, 50, 2048, Style::Grouped),
        Lit("원, "), num(1, 1, 150, Style::Decimal(1)), Lit("% "), Word(STOCK_MOVE),
    ],
    // 어머니는 건강이 좋아지셨어요. / 큰딸은 11월 23일에 생일이에요.
    &[
        Word(FAMILY), P(Particle::EunNeun), Lit(" "),
        Alt(&[
            &[Word(NEWS)],
            &[Lit("오는 "), num(1, 1, 12, Style::Plain), Lit("월 "), num(1, 1, 28, Style::Plain), Lit("일에 "), Word(EVENT)],
            &[Lit("이번 "), Word(WEEKDAY), Lit("에 "), Word(EVENT)],
        ]),
    ],
    // 수고하세요.
    &[Lit("네, "), Word(SIGNOFF)],
];
