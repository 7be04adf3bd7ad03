"""Chinese surnames, to tell a reporter's name from a word after a role.

``记者王某某`` is a byline, ``记者调查`` and ``记者手记`` are column names set as
kickers or subheads: after the role, the first name must start with a
surname. The list holds the common single surnames (more than 95% of people
carry one of them) in Simplified and Traditional forms, and the compound
ones. A surname that also opens common words (都, 但, 由, 国 …) is left out on
purpose; a byline it misses is put right with a ``{byline}`` marker.
"""

from __future__ import annotations

_SIMPLIFIED = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查"
    "麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉伊仝区郜阚权强帅屠豆朴盖练廉禹井"
    "祖漆巴丰支卿狄计索宣晋来扈晁芮阙浦戈伏鹿薄邸雍辜羊母裘亓修邰赫杭况宿鲜印逯隆茹诸战慕危玉银亢嵇哈湛宾"
    "戎勾茅於呼居揭尉冶斯束檀阴昝奉植衡尧闭赖郦蔚靖殳桓"
)
# The Traditional forms of the surnames above that differ from them (OpenCC s2t, s2tw, s2hk).
_TRADITIONAL = (
    "來儲劉勞區厲叢吳呂喬單嚴堯塗婁孫宮寧嶽帥師張強應戰時晉楊榮樂樓樸權欒歐況湯溫滿烏畢盤盧竇範簡紀練繆羅"
    "聞聶荊莊華萬葉蓋蔣藍藺蘆蘇蘭衛衞計許談諶諸謝譚豐費賀賈賓賴趙車農連遊遲邊鄒鄔鄧鄭鄺酈銀錢鍾閆閔閻闕關闞"
    "陰陳陸陽鞏韋韓項顏顧饒馬馮駱鬱魯鮑鮮麥黃黨齊龍龐龔"
)
SINGLE = frozenset(_SIMPLIFIED + _TRADITIONAL)
_COMPOUND = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 令狐 慕容 夏侯 长孙 宇文 端木 申屠 司徒 司空 西门 独孤 南宫 "
    "歐陽 司馬 諸葛 東方 尉遲 公孫 長孫 宇文 西門 獨孤 南宮"
)
COMPOUND = frozenset(_COMPOUND.split())
# Words that follow a role in column names and phrases, not names: 记者连线, 记者来信, 记者时评 …
_NOT_NAMES = (
    "连线 来信 来到 时评 全程 明察 应邀 于是 从中 向你 调查 手记 观察 探访 直击 走访 暗访 体验 实测 追踪 跟踪 现场 "
    "采访 一线 帮办 热线 专访 随笔 视点 亲历 日记 档案 问答 纵横 看台 获悉 了解 发现 注意到 看到 "
    "連線 來信 來到 時評 調查 手記 觀察 探訪 走訪 暗訪 體驗 實測 現場 採訪 專訪 隨筆 視點 親歷 獲悉 瞭解 發現"
)
NOT_NAMES = frozenset(_NOT_NAMES.split())


def starts_with_surname(token: str) -> bool:
    return bool(token) and (token[0] in SINGLE or token[:2] in COMPOUND)
