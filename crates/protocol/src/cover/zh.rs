//! `zh-market`: Chinese chatter of traders near the border — market prices in yuan,
//! exchange rates, stock talk, short family news. Written by hand for lethe.

use super::grammar::El::{Alt, Lit, Word};
use super::grammar::{El, Style, num};

static WHEN: &[&str] = &[
    "今天",
    "昨天",
    "早上",
    "中午",
    "晚上",
    "刚才",
    "最近",
    "这周",
    "上周",
    "前天",
    "下午",
    "周末",
    "今早",
    "昨晚",
    "周一",
    "这两天",
];

static PLACE: &[&str] = &[
    "丹东",
    "长白",
    "图们",
    "延吉",
    "珲春",
    "集安",
    "临江",
    "龙井",
    "和龙",
    "宽甸",
    "沈阳",
    "通化",
    "白山",
    "敦化",
    "安图",
    "东港",
    "惠山",
    "新义州",
    "会宁",
    "南阳",
    "罗先",
    "凤城",
    "本溪",
    "抚松",
    "汪清",
    "开山屯",
    "三合",
    "南坪",
    "古城里",
    "长春",
    "吉林",
    "大连",
];

static MARKET: &[&str] = &["市场", "批发市场", "早市", "粮店", "农贸市场", "菜市场", "口岸那边", "集市"];

static TREND: &[&str] = &[
    "，涨了",
    "，跌了点",
    "，没怎么变",
    "左右",
    "上下",
    "，比上周贵",
    "，便宜了",
    "，有人要",
    "，不好卖",
    "，还行。",
    "，挺贵的",
    "，差不多。",
    "，又涨了！",
    "，降了",
    "，稳住了",
    "，没货了",
    "，抢着要",
    "，卖得快！",
    "，问的人多",
    "，少了。",
    "，是批发价",
    "，零售贵点",
    "，老价钱",
    "，刚到的货",
    "的样子",
    "，有点贵",
    "，算便宜",
    "，涨疯了！",
    "，没人买",
    "，还得涨",
    "，看着办",
    "，等等再说",
];

static RICE: &[&str] = &["大米", "东北大米", "新米", "籼米"];
static CORN: &[&str] = &["玉米", "苞米", "棒子面"];
static FLOUR: &[&str] = &["面粉", "白面", "挂面"];
static OIL: &[&str] = &["豆油", "花生油", "菜籽油", "色拉油"];
static FUEL: &[&str] = &["柴油", "汽油", "煤油"];
static MEAT: &[&str] = &["猪肉", "牛肉", "鸡肉", "羊肉"];
static SUGAR: &[&str] = &["白糖", "红糖", "味精"];
static VEG: &[&str] = &["白菜", "土豆", "萝卜", "辣椒", "大蒜", "洋葱", "黄瓜", "西红柿"];
static PER_JIN: &[&str] = &["每斤", "斤", "论斤"];
static PER_L: &[&str] = &["每升", "升", "按升"];

/// Prices in yuan, jiao and fen (per jin; fuel per litre).
const RICE_PRICE: El = num(150, 1, 256, Style::ZhKuai);
const CORN_PRICE: El = num(80, 1, 128, Style::ZhKuai);
const FLOUR_PRICE: El = num(130, 1, 256, Style::ZhKuai);
const OIL_PRICE: El = num(500, 1, 1024, Style::ZhKuai);
const FUEL_PRICE: El = num(600, 1, 256, Style::ZhKuai);
const MEAT_PRICE: El = num(1_000, 5, 512, Style::ZhKuai);
const SUGAR_PRICE: El = num(300, 1, 512, Style::ZhKuai);
const VEG_PRICE: El = num(100, 1, 512, Style::ZhKuai);

/// One good and its price.
static GOOD: &[&[El]] = &[
    &[Word(RICE), Word(PER_JIN), RICE_PRICE],
    &[Word(CORN), Word(PER_JIN), CORN_PRICE],
    &[Word(FLOUR), Word(PER_JIN), FLOUR_PRICE],
    &[Word(OIL), Word(PER_JIN), OIL_PRICE],
    &[Word(FUEL), Word(PER_L), FUEL_PRICE],
    &[Word(MEAT), Word(PER_JIN), MEAT_PRICE],
    &[Word(SUGAR), Word(PER_JIN), SUGAR_PRICE],
    &[Word(VEG), Word(PER_JIN), VEG_PRICE],
];

/// A line of a price list.
static ITEM: &[&[El]] = &[
    &[Word(RICE), RICE_PRICE, Lit("\n")],
    &[Word(CORN), CORN_PRICE, Lit("\n")],
    &[Word(FLOUR), FLOUR_PRICE, Lit("\n")],
    &[Word(OIL), OIL_PRICE, Lit("\n")],
    &[Word(FUEL), FUEL_PRICE, Lit("\n")],
    &[Word(MEAT), MEAT_PRICE, Lit("\n")],
    &[Word(SUGAR), SUGAR_PRICE, Lit("\n")],
    &[Word(VEG), VEG_PRICE, Lit("\n")],
];

static LIST_HEAD: &[&str] = &["行情", "价格", "今天的价", "物价", "报个价", "最新价"];
static LIST_END: &[&str] = &["就这些", "供参考", "大概这样", "差不多", "你看看", "先这样", "都是批发价", "知道了吧"];

static DOLLAR: &[&str] = &["美元", "美金", "美刀", "人民币兑美元"];
static TO_KPW: &[&str] = &["人民币换朝币", "一块人民币换朝币", "朝币行情", "朝币价"];
static RATE_WORD: &[&str] = &["汇率", "牌价", "行情", "价"];
static RATE_MOVE: &[&str] = &["涨了", "跌了", "没动", "稳着呢", "又涨了", "降了点", "比昨天高", "比昨天低"];

static STOCK: &[&str] = &[
    "茅台",
    "宁德时代",
    "比亚迪",
    "中国平安",
    "招商银行",
    "工商银行",
    "中石油",
    "中石化",
    "五粮液",
    "紫金矿业",
    "隆基",
    "万科",
    "格力",
    "美的",
    "海尔",
    "中兴",
    "长江电力",
    "中国移动",
    "京东方",
    "伊利",
    "恒瑞",
    "三一重工",
    "海康威视",
    "中信证券",
    "东方财富",
    "片仔癀",
    "中国中免",
    "一汽解放",
    "洛阳钼业",
    "泸州老窖",
    "亚泰集团",
    "吉电股份",
];
static STOCK_WHEN: &[&str] = &["今天", "昨天", "早盘", "收盘", "午后", "尾盘", "开盘", "这周"];
static STOCK_MOVE: &[&str] = &[
    "涨了",
    "跌了",
    "涨停了",
    "跌停了",
    "拉升",
    "回调",
    "反弹",
    "大涨",
    "大跌",
    "小涨",
    "小跌",
    "又涨",
    "又跌",
    "冲高",
    "跳水",
    "收涨",
];
static STOCK_END: &[&str] = &["，稳", "，还拿着", "，卖了", "，补了点", "，套住了", "，观望", "，再看看", "，不动"];

static FAMILY: &[&str] = &[
    "我妈",
    "我爸",
    "奶奶",
    "爷爷",
    "姥姥",
    "姥爷",
    "大儿子",
    "小儿子",
    "闺女",
    "老婆",
    "老公",
    "弟弟",
    "妹妹",
    "哥哥",
    "姐姐",
    "舅舅",
    "姑姑",
    "小姨",
    "侄子",
    "孙子",
    "外孙",
    "儿媳妇",
    "女婿",
    "孩子们",
];
static NEWS: &[&str] = &[
    "身体好多了",
    "感冒好了",
    "去医院看过了",
    "上学挺好的",
    "考试考得不错",
    "搬完家了",
    "工作挺顺的",
    "吃得好睡得好",
    "定了结婚的日子",
    "最近挺忙的",
    "腿有点疼",
    "让我问你好",
    "长高了不少",
    "找到工作了",
    "都挺好，别担心",
    "腰不太好",
    "药一直在吃",
    "平安到家了",
    "来过电话",
    "月底回来",
    "钱收到了",
    "说谢谢你",
    "腌完酸菜了",
    "开了个小店",
    "租到新房子了",
    "生了个小子",
    "在上补习班",
    "出院了",
    "每天去锻炼",
    "没什么精神",
    "下地干活去了",
    "回老家了",
];
static EVENT: &[&str] = &[
    "过生日",
    "办周年",
    "办满月酒",
    "搬家",
    "去医院",
    "过来",
    "回去",
    "办婚礼",
    "毕业",
    "开学",
    "放假",
    "请客",
    "过六十大寿",
    "出差",
    "出院",
    "赶集",
];
static SPENT: &[&str] = &["看病", "买药", "学费", "房租", "办酒", "搬家", "买煤", "修房子"];
static SPENT_HOW: &[&str] = &["，不便宜", "，还行", "，借了点", "，都付了", "，先欠着", "，值了", "，心疼", "，够呛"];
static WEEKDAY: &[&str] = &["周一", "周二", "周三", "周四", "周五", "周六", "周日", "礼拜天"];

/// The sentences of `zh-market`.
pub(crate) static SENTENCES: &[&[El]] = &[
    // 今天丹东批发市场大米每斤两块三毛五，涨了
    &[Word(WHEN), Lit(" "), Word(PLACE), Word(MARKET), Lit(" "), Alt(GOOD), Word(TREND)],
    // 丹东行情 / 大米两块三毛五 / 玉米一块二 / 就这些
    &[
        Word(PLACE),
        Word(LIST_HEAD),
        Lit("：\n"),
        Alt(ITEM),
        Alt(&[
            &[Lit("还有\n"), Alt(ITEM)],
            &[Lit("另外\n"), Alt(ITEM), Alt(ITEM)],
            &[Lit("再加\n"), Alt(ITEM), Alt(ITEM), Alt(ITEM)],
        ]),
        Word(LIST_END),
    ],
    // 美元汇率今天是7.1234，涨了
    &[
        Word(DOLLAR),
        Word(RATE_WORD),
        Word(WHEN),
        Lit("是"),
        num(69_000, 1, 8192, Style::Decimal(4)),
        Lit("，"),
        Word(RATE_MOVE),
    ],
    // 人民币换朝币今天三千一百五十左右，涨了
    &[Word(TO_KPW), Word(WHEN), num(1_000, 1, 4096, Style::ZhHan), Lit("左右，"), Word(RATE_MOVE)],
    // 茅台今天报十六块五，反弹三个点，稳
    &[
        Word(STOCK),
        Word(STOCK_WHEN),
        Lit("报"),
        num(300, 1, 8192, Style::ZhKuai),
        Lit("，"),
        Word(STOCK_MOVE),
        num(1, 1, 10, Style::ZhHan),
        Lit("个点"),
        Word(STOCK_END),
    ],
    // 我妈身体好多了 / 闺女下个月二十二号毕业
    &[
        Word(FAMILY),
        Alt(&[
            &[Word(NEWS)],
            &[Lit("下个月"), num(1, 1, 28, Style::ZhHan), Lit("号"), Word(EVENT)],
            &[Lit("这个"), Word(WEEKDAY), Word(EVENT)],
            &[Lit("打算"), num(1, 1, 12, Style::ZhHan), Lit("月"), num(1, 1, 28, Style::ZhHan), Lit("号"), Word(EVENT)],
            &[Word(SPENT), Lit("花了"), num(100, 100, 256, Style::ZhHan), Lit("块"), Word(SPENT_HOW)],
        ]),
    ],
];
