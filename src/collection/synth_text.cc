// The words of `evhub synth`: fictional names, real places and facilities, units, ranks, acts,
// and several sentence templates per theme (arrest, detention, ill-treatment, trial,
// departure) in Belarusian, Russian and English, composed into transcripts and documents.
// Belarusian and Russian templates are written so that no verb shows the witness's gender
// ("мяне затрымалі", not "я вяртаўся"), and no slot starts a sentence (a capital letter would
// change the slot's text, which the ground truth quotes).
#include <array>
#include <chrono>
#include <string_view>

#include <fmt/format.h>

#include "collection/synth_internal.h"

namespace evhub::collection {

// Invented combinations only: given names and surnames are drawn separately. Surnames are
// ones that do not change with gender, so a woman's and a man's are written alike.
const std::vector<NameForms>& synth_male_names() {
  static const std::vector<NameForms> names = {
      {"Андрэй", "Андрей", "Andrei"},     {"Сяргей", "Сергей", "Siarhei"},
      {"Дзмітрый", "Дмитрий", "Dzmitry"}, {"Павел", "Павел", "Pavel"},
      {"Мікалай", "Николай", "Mikalai"},  {"Віктар", "Виктор", "Viktar"},
      {"Ігар", "Игорь", "Ihar"},          {"Уладзімір", "Владимир", "Uladzimir"},
      {"Максім", "Максим", "Maksim"},     {"Юрый", "Юрий", "Yury"},
      {"Алег", "Олег", "Aleh"},           {"Раман", "Роман", "Raman"},
      {"Генадзь", "Геннадий", "Hienadz"}, {"Вадзім", "Вадим", "Vadzim"},
      {"Антон", "Антон", "Anton"},        {"Кірыл", "Кирилл", "Kiryl"}};
  return names;
}

const std::vector<NameForms>& synth_female_names() {
  static const std::vector<NameForms> names = {{"Алена", "Елена", "Alena"},
                                               {"Вольга", "Ольга", "Volha"},
                                               {"Наталля", "Наталья", "Natallia"},
                                               {"Таццяна", "Татьяна", "Tatsiana"},
                                               {"Ірына", "Ирина", "Iryna"},
                                               {"Марына", "Марина", "Maryna"},
                                               {"Ганна", "Анна", "Hanna"},
                                               {"Юлія", "Юлия", "Yulia"},
                                               {"Кацярына", "Екатерина", "Katsiaryna"},
                                               {"Людміла", "Людмила", "Liudmila"},
                                               {"Валянціна", "Валентина", "Valiantsina"},
                                               {"Алеся", "Олеся", "Alesia"}};
  return names;
}

const std::vector<NameForms>& synth_surnames() {
  static const std::vector<NameForms> names = {{"Кавалевіч", "Ковалевич", "Kavalevich"},
                                               {"Радзевіч", "Радзевич", "Radzevich"},
                                               {"Бандарэнка", "Бондаренко", "Bandarenka"},
                                               {"Шаўчук", "Шевчук", "Shauchuk"},
                                               {"Мельнічук", "Мельничук", "Melnichuk"},
                                               {"Грыцук", "Грицук", "Hrytsuk"},
                                               {"Ярмалюк", "Ермолюк", "Yarmaliuk"},
                                               {"Кулік", "Кулик", "Kulik"},
                                               {"Марчук", "Марчук", "Marchuk"},
                                               {"Пашкевіч", "Пашкевич", "Pashkevich"},
                                               {"Станкевіч", "Станкевич", "Stankevich"},
                                               {"Дземідовіч", "Демидович", "Dzemidovich"},
                                               {"Ляшук", "Ляшук", "Liashuk"},
                                               {"Тарасевіч", "Тарасевич", "Tarasevich"},
                                               {"Гурыновіч", "Гуринович", "Hurynovich"},
                                               {"Сцяпанчук", "Степанчук", "Stsiapanchuk"},
                                               {"Валюк", "Валюк", "Valiuk"},
                                               {"Ракевіч", "Ракевич", "Rakevich"},
                                               {"Жыбуль", "Жибуль", "Zhybul"},
                                               {"Лявончык", "Левончик", "Liavonchyk"},
                                               {"Ціханчук", "Тихончук", "Tsikhanchuk"},
                                               {"Барысенка", "Борисенко", "Barysenka"},
                                               {"Пракапенка", "Прокопенко", "Prakapenka"},
                                               {"Юрчанка", "Юрченко", "Yurchanka"},
                                               {"Дубовік", "Дубовик", "Dubovik"},
                                               {"Крывашэй", "Кривошей", "Kryvashei"},
                                               {"Сідаровіч", "Сидорович", "Sidarovich"},
                                               {"Навумчык", "Наумчик", "Navumchyk"},
                                               {"Зянькевіч", "Зенькевич", "Ziankevich"},
                                               {"Гаўрылюк", "Гаврилюк", "Hauryliuk"}};
  return names;
}

namespace synth {
namespace {

const std::vector<Place> kPlaces = {
    {"minsk", {"у Мінску", "в Минске", "in Minsk"}, {"Мінск", "Минск", "Minsk"}},
    {"homel", {"у Гомелі", "в Гомеле", "in Homel"}, {"Гомель", "Гомель", "Homel"}},
    {"hrodna", {"у Гродне", "в Гродно", "in Hrodna"}, {"Гродна", "Гродно", "Hrodna"}},
    {"brest", {"у Брэсце", "в Бресте", "in Brest"}, {"Брэст", "Брест", "Brest"}},
    {"viciebsk", {"у Віцебску", "в Витебске", "in Viciebsk"}, {"Віцебск", "Витебск", "Viciebsk"}},
    {"mahiliou", {"у Магілёве", "в Могилёве", "in Mahilioŭ"}, {"Магілёў", "Могилёв", "Mahilioŭ"}},
    {"zhodzina", {"у Жодзіне", "в Жодино", "in Zhodzina"}, {"Жодзіна", "Жодино", "Zhodzina"}},
    {"baranavichy",
     {"у Баранавічах", "в Барановичах", "in Baranavichy"},
     {"Баранавічы", "Барановичи", "Baranavichy"}},
    {"pinsk", {"у Пінску", "в Пинске", "in Pinsk"}, {"Пінск", "Пинск", "Pinsk"}},
    {"barysau", {"у Барысаве", "в Борисове", "in Barysaŭ"}, {"Барысаў", "Борисов", "Barysaŭ"}}};

const std::vector<Facility> kFacilities = {
    {"akrestsina",
     0,
     {"у ізалятары на вуліцы Акрэсціна", "в изоляторе на улице Окрестина",
      "at the detention centre on Akrestsina Street"},
     "Akrestsina detention centre"},
    {"sizo1-minsk",
     0,
     {"у СІЗА-1 на вуліцы Валадарскага", "в СИЗО-1 на улице Володарского",
      "at pre-trial prison SIZO-1 on Valadarskaha Street"},
     "Valadarskaha SIZO-1, Minsk"},
    {"zhodzina-prison8",
     6,
     {"у турме № 8 у Жодзіне", "в тюрьме № 8 в Жодино", "at Prison No. 8 in Zhodzina"},
     "Zhodzina Prison No. 8"},
    {"homel-cip",
     1,
     {"у ЦІП у Гомелі", "в ЦИП в Гомеле", "at the offender isolation centre in Homel"},
     "Homel offender isolation centre"},
    {"mahiliou-prison4",
     5,
     {"у турме № 4 у Магілёве", "в тюрьме № 4 в Могилёве", "at Prison No. 4 in Mahilioŭ"},
     "Mahilioŭ Prison No. 4"},
    {"hrodna-sizo1",
     2,
     {"у СІЗА-1 у Гродне", "в СИЗО-1 в Гродно", "at pre-trial prison SIZO-1 in Hrodna"},
     "Hrodna SIZO-1"},
    {"viciebsk-sizo2",
     4,
     {"у СІЗА-2 у Віцебску", "в СИЗО-2 в Витебске", "at pre-trial prison SIZO-2 in Viciebsk"},
     "Viciebsk SIZO-2"},
    {"baranavichy-cip",
     7,
     {"у ЦІП у Баранавічах", "в ЦИП в Барановичах", "at the isolation centre in Baranavichy"},
     "Baranavichy isolation centre"},
    {"brest-cip",
     3,
     {"у ЦІП у Брэсце", "в ЦИП в Бресте", "at the isolation centre in Brest"},
     "Brest isolation centre"}};

// Units follow "супрацоўнікі" / "сотрудники" / "officers of".
const std::vector<Tri> kUnits = {
    {"АМАП ГУУС Мінгарвыканкама", "ОМОН ГУВД Мингорисполкома",
     "the OMON riot police of the Minsk city police"},
    {"ГУБАЗіК МУС", "ГУБОПиК МВД", "GUBOPiK, the organised crime unit of the Interior Ministry"},
    {"АМАП УУС Гомельскага аблвыканкама", "ОМОН УВД Гомельского облисполкома",
     "the OMON riot police of the Homel regional police"},
    {"Маскоўскага РУУС Мінска", "Московского РУВД Минска",
     "the Maskouski district police department of Minsk"},
    {"унутраных войскаў МУС", "внутренних войск МВД",
     "the Internal Troops of the Interior Ministry"},
    {"КДБ", "КГБ", "the KGB"}};

const std::vector<Tri> kRanks = {{"маёр", "майор", "Major"},
                                 {"капітан", "капитан", "Captain"},
                                 {"старшы лейтэнант", "старший лейтенант", "Senior Lieutenant"},
                                 {"падпалкоўнік", "подполковник", "Lieutenant Colonel"},
                                 {"палкоўнік", "полковник", "Colonel"},
                                 {"лейтэнант", "лейтенант", "Lieutenant"},
                                 {"прапаршчык", "прапорщик", "Warrant Officer"}};
const Tri kJudge = {"суддзя", "судья", "Judge"};

const std::vector<Act> kActs = {
    {"beating",
     {"білі нас дубінкамі па спіне і нагах", "били нас дубинками по спине и ногам",
      "beat us with batons on the back and legs"}},
    {"stress-position",
     {"гадзінамі трымалі нас тварам да сцяны з рукамі за галавой",
      "часами держали нас лицом к стене с руками за головой",
      "kept us standing for hours facing the wall with our hands behind our heads"}},
    {"electric-shock",
     {"ужывалі да нас электрашокер", "применяли к нам электрошокер",
      "used an electric shocker on us"}},
    {"overcrowding",
     {"трымалі па трыццаць чалавек у камеры на чатырох",
      "держали по тридцать человек в камере на четверых",
      "held thirty people in a cell built for four"}},
    {"denial-of-medical-care",
     {"не давалі дапамогі лекара, нават калі людзі страчвалі прытомнасць",
      "не оказывали медицинскую помощь, даже когда люди теряли сознание",
      "refused medical help even when people lost consciousness"}},
    {"denial-of-food-and-water",
     {"амаль суткі не давалі ні вады, ні ежы", "почти сутки не давали ни воды, ни еды",
      "gave us no water or food for almost a day"}},
    {"sleep-deprivation",
     {"не давалі спаць, уключалі святло і будзілі кожныя дзве гадзіны",
      "не давали спать, включали свет и будили каждые два часа",
      "kept us from sleeping, turning the lights on and waking us every two hours"}},
    {"threats",
     {"пагражалі расправай і крымінальнай справай", "угрожали расправой и уголовным делом",
      "threatened us with violence and a criminal case"}},
    {"forced-kneeling",
     {"прымушалі стаяць на каленях на бетоннай падлозе",
      "заставляли стоять на коленях на бетонном полу", "forced us to kneel on the concrete floor"}},
    {"humiliation",
     {"абражалі нас і здымалі на тэлефон", "оскорбляли нас и снимали на телефон",
      "insulted us and filmed us on their phones"}},
    {"denial-of-lawyer",
     {"не пусцілі да нас адвакатаў", "не допустили к нам адвокатов",
      "did not let our lawyers see us"}}};

struct Country {
  const char* iso;
  Tri to;  // "у Літву"
  Tri at;  // "у Літве"
};
const std::vector<Country> kCountries = {
    {"LT", {"у Літву", "в Литву", "Lithuania"}, {"у Літве", "в Литве", "Lithuania"}},
    {"PL", {"у Польшчу", "в Польшу", "Poland"}, {"у Польшчы", "в Польше", "Poland"}},
    {"GE", {"у Грузію", "в Грузию", "Georgia"}, {"у Грузіі", "в Грузии", "Georgia"}},
    {"DE", {"у Германію", "в Германию", "Germany"}, {"у Германіі", "в Германии", "Germany"}}};

const std::vector<Tri> kMonths = {{"студзеня", "января", "January"},
                                  {"лютага", "февраля", "February"},
                                  {"сакавіка", "марта", "March"},
                                  {"красавіка", "апреля", "April"},
                                  {"мая", "мая", "May"},
                                  {"чэрвеня", "июня", "June"},
                                  {"ліпеня", "июля", "July"},
                                  {"жніўня", "августа", "August"},
                                  {"верасня", "сентября", "September"},
                                  {"кастрычніка", "октября", "October"},
                                  {"лістапада", "ноября", "November"},
                                  {"снежня", "декабря", "December"}};

// Articles: administrative (participation in an unauthorised event) and criminal.
const std::vector<std::string> kAdminArticles = {"23.34", "24.23"};
const std::vector<std::string> kCriminalArticles = {"342", "293", "130", "369"};

// ---- templates: {date} {place} {unit} {official} {facility} {days} {act1} {act2} {judge}
// {article} {years} {trial_date} {country} {country_at} {left_on}
const std::vector<Tri> kArrest = {
    {"{date} мяне затрымалі {place} супрацоўнікі {unit}. Затрыманнем кіраваў {official}.",
     "{date} меня задержали {place} сотрудники {unit}. Задержанием руководил {official}.",
     "On {date} I was detained {place} by officers of {unit}. The arrest was led by {official}."},
    {"Вечарам {date} {place} мяне схапілі людзі ў балаклавах. Пазней высветлілася, што гэта "
     "былі супрацоўнікі {unit}, а старэйшым сярод іх быў {official}.",
     "Вечером {date} {place} меня схватили люди в балаклавах. Позже выяснилось, что это были "
     "сотрудники {unit}, а старшим среди них был {official}.",
     "On the evening of {date} men in balaclavas grabbed me {place}. Later I learned they were "
     "officers of {unit}; the most senior of them was {official}."},
    {"{date} мяне забралі проста з кватэры. Прыйшлі супрацоўнікі {unit}; пратакол склаў "
     "{official}, хоць ніякага парушэння не было.",
     "{date} меня забрали прямо из квартиры. Пришли сотрудники {unit}; протокол составил "
     "{official}, хотя никакого нарушения не было.",
     "They took me straight from my flat on {date}. Officers of {unit} came in; {official} "
     "wrote the report, although I had broken no law."},
    {"Падчас мірнага шэсця {date} {place} мяне кінулі на зямлю і адвезлі ў аўтазак. Камандаваў "
     "{official}, супрацоўнікі {unit} выконвалі яго загады.",
     "Во время мирного шествия {date} {place} меня повалили на землю и увезли в автозак. "
     "Командовал {official}, сотрудники {unit} выполняли его приказы.",
     "During a peaceful march {place} on {date} I was thrown to the ground and put into a prison "
     "van. The commander was {official}, and officers of {unit} followed his orders."}};

const std::vector<Tri> kDetention = {
    {"Пасля затрымання мяне адвезлі ў РУУС, а ноччу перавезлі далей: {facility} мяне трымалі "
     "{days} сутак.",
     "После задержания меня отвезли в РУВД, а ночью перевезли дальше: {facility} меня держали "
     "{days} суток.",
     "After the arrest I was taken to a district police station and moved on at night: I was "
     "held {facility} for {days} days."},
    {"Там, {facility}, у камеры было цесна і холадна; мяне пратрымалі {days} сутак.",
     "Там, {facility}, в камере было тесно и холодно; меня продержали {days} суток.",
     "There, {facility}, the cell was crowded and cold; I was kept there for {days} days."},
    {"Наступныя {days} сутак прайшлі {facility}. Родныя доўга не ведалі, дзе мяне шукаць.",
     "Следующие {days} суток прошли {facility}. Родные долго не знали, где меня искать.",
     "The next {days} days I spent {facility}. For a long time my family did not know where to "
     "look for me."}};

const std::vector<Tri> kIllTreatment = {
    {"Ахоўнікі {act1}, а таксама {act2}.", "Охранники {act1}, а также {act2}.",
     "The guards {act1}, and they also {act2}."},
    {"Калі падначаленыя {act1}, побач стаяў {official}. Потым яны {act2}.",
     "Когда подчинённые {act1}, рядом стоял {official}. Потом они {act2}.",
     "While his subordinates {act1}, {official} stood by. Later they {act2}."},
    {"Найгорш было ў першую ноч: супрацоўнікі {act1}. Потым яны {act2}.",
     "Хуже всего было в первую ночь: сотрудники {act1}. Потом они {act2}.",
     "The first night was the worst: the officers {act1}. Later they {act2}."}};

const std::vector<Tri> kTrial = {
    {"{trial_date} суддзя {judge} па відэасувязі прызначыў мне {days} сутак арышту па артыкуле "
     "{article} КаАП.",
     "{trial_date} судья {judge} по видеосвязи назначил мне {days} суток ареста по статье "
     "{article} КоАП.",
     "On {trial_date} Judge {judge} sentenced me by video link to {days} days of arrest under "
     "Article {article} of the Code of Administrative Offences."},
    {"Суд адбыўся {place} {trial_date}. Суддзя {judge} не стаў слухаць сведак абароны і "
     "прызначыў {years} пазбаўлення волі па артыкуле {article} КК.",
     "Суд состоялся {place} {trial_date}. Судья {judge} не стал слушать свидетелей защиты и "
     "назначил {years} лишения свободы по статье {article} УК.",
     "The trial took place {place} on {trial_date}. Judge {judge} refused to hear the defence "
     "witnesses and sentenced me to {years} in prison under Article {article} of the Criminal "
     "Code."},
    {"Справу разглядаў суддзя {judge}; пратакол, які склаў {official}, быў адзіным доказам. "
     "Вынік: {days} сутак арышту па артыкуле {article} КаАП.",
     "Дело рассматривал судья {judge}; протокол, который составил {official}, был единственным "
     "доказательством. Итог: {days} суток ареста по статье {article} КоАП.",
     "The case was heard by Judge {judge}; the report written by {official} was the only "
     "evidence. The result: {days} days of arrest under Article {article} of the Code of "
     "Administrative Offences."}};

const std::vector<Tri> kDeparture = {
    {"{left_on} мне давялося выехаць {country}, бо пачаліся новыя выклікі ў міліцыю.",
     "{left_on} мне пришлось уехать {country}, потому что начались новые вызовы в милицию.",
     "On {left_on} I had to leave for {country} because the police kept summoning me."},
    {"Пасля вызвалення за мной сачылі, і {left_on} мне давялося пакінуць Беларусь. Цяпер мой "
     "дом {country_at}.",
     "После освобождения за мной следили, и {left_on} мне пришлось покинуть Беларусь. Сейчас мой "
     "дом {country_at}.",
     "After my release I was followed, and on {left_on} I had to leave Belarus. I now live in "
     "{country_at}."},
    {"Сябры дапамаглі з квітком, і {left_on} атрымалася выехаць {country}.",
     "Друзья помогли с билетом, и {left_on} получилось уехать {country}.",
     "Friends helped with a ticket, and on {left_on} I managed to get out to {country}."}};

// What each template of the themes above tells besides its acts ({act1}, {act2}), in synth's
// words (SynthStatement::says), one list per template in the templates' order. Keep them in
// step with the templates: synth's codings are made to fit them (coding/synth_codings.cc
// turns these words into codes of the coding framework).
using Says = std::vector<std::vector<const char*>>;
const Says kArrestSays = {{"arrest"},
                          {"arrest", "masked-officers"},
                          {"arrest", "taken-from-home", "no-offence"},
                          {"arrest", "peaceful-march", "thrown-to-ground"}};
const Says kDetentionSays = {
    {"held"}, {"held", "crowded-cell", "cold-cell"}, {"held", "family-not-told"}};
const Says kIllTreatmentSays = {{}, {"official-present"}, {}};
const Says kTrialSays = {{"trial", "video-link-trial"},
                         {"trial", "defence-witnesses-refused", "prison-sentence"},
                         {"trial", "report-sole-evidence"}};
const Says kDepartureSays = {{"left-belarus", "police-summons"},
                             {"left-belarus", "followed-after-release"},
                             {"left-belarus"}};

const Tri kTranscriptHeader = {
    "Стэнаграма інтэрв'ю са сведкам {code}. Дата інтэрв'ю: {on}. Інтэрв'юер: {by}.",
    "Стенограмма интервью со свидетелем {code}. Дата интервью: {on}. Интервьюер: {by}.",
    "Transcript of the interview with witness {code}. Interview date: {on}. Interviewer: {by}."};

// Documents are forms: "field: value" lines keep every slot in the nominative.
struct DocumentForm {
  Tri title;
  std::vector<Tri> lines;
};
const DocumentForm kCourt = {
    {"ПАСТАНОВА па справе аб адміністрацыйным правапарушэнні",
     "ПОСТАНОВЛЕНИЕ по делу об административном правонарушении",
     "DECISION in an administrative offence case"},
    {{"Нумар справы: {number}", "Номер дела: {number}", "Case number: {number}"},
     {"Дата: {trial_date}", "Дата: {trial_date}", "Date: {trial_date}"},
     {"Месца: {place_name}", "Место: {place_name}", "Place: {place_name}"},
     {"Суддзя: {judge}", "Судья: {judge}", "Judge: {judge}"},
     {"Асоба, якая прыцягваецца да адказнасці: {person}",
      "Лицо, привлекаемое к ответственности: "
      "{person}",
      "Person charged: {person}"},
     {"Артыкул: {article} КаАП", "Статья: {article} КоАП",
      "Article: {article} of the Code of Administrative Offences"},
     {"Устаноўлена, што {date} {place} адбывалася несанкцыянаванае масавае мерапрыемства; "
      "затрыманне правёў {official} ({unit}).",
      "Установлено, что {date} {place} проходило несанкционированное массовое мероприятие; "
      "задержание провёл {official} ({unit}).",
      "It was established that on {date} an unauthorised mass event took place {place}; the "
      "arrest was made by {official} ({unit})."},
     {"Пастанова: адміністрацыйны арышт на {days} сутак, які трэба адбыць {facility}.",
      "Постановление: административный арест на {days} суток с отбыванием {facility}.",
      "Decision: administrative arrest for {days} days, to be served {facility}."}}};
const DocumentForm kProtocol = {
    {"ПРАТАКОЛ адміністрацыйнага затрымання", "ПРОТОКОЛ административного задержания",
     "REPORT of an administrative detention"},
    {{"Нумар: {number}", "Номер: {number}", "Number: {number}"},
     {"Дата: {date}", "Дата: {date}", "Date: {date}"},
     {"Месца: {place_name}", "Место: {place_name}", "Place: {place_name}"},
     {"Затрыманая асоба: {person}", "Задержанное лицо: {person}", "Detained person: {person}"},
     {"Склаў: {official}, {unit}", "Составил: {official}, {unit}",
      "Written by: {official}, {unit}"},
     {"Падстава: удзел у несанкцыянаваным масавым мерапрыемстве {place}.",
      "Основание: участие в несанкционированном массовом мероприятии {place}.",
      "Grounds: taking part in an unauthorised mass event {place}."},
     {"Асоба ўтрымліваецца {facility}.", "Лицо содержится {facility}.",
      "The person is held {facility}."}}};
const DocumentForm kMedical = {
    {"МЕДЫЦЫНСКАЯ ДАВЕДКА", "МЕДИЦИНСКАЯ СПРАВКА", "MEDICAL CERTIFICATE"},
    {{"Нумар: {number}", "Номер: {number}", "Number: {number}"},
     {"Пацыент: {person}", "Пациент: {person}", "Patient: {person}"},
     {"Дата агляду: {seen_on}", "Дата осмотра: {seen_on}", "Examined on: {seen_on}"},
     {"Месца: {place_name}", "Место: {place_name}", "Place: {place_name}"},
     {"Са слоў пацыента: пасля затрымання {date} {facility} супрацоўнікі {act1}.",
      "Со слов пациента: после задержания {date} {facility} сотрудники {act1}.",
      "The patient states that after the arrest on {date}, {facility}, the officers {act1}."},
     {"Дыягназ: {injury}.", "Диагноз: {injury}.", "Diagnosis: {injury}."}}};
const std::vector<Tri> kInjuries = {
    {"множныя гематомы спіны і ягадзіц", "множественные гематомы спины и ягодиц",
     "multiple haematomas of the back and buttocks"},
    {"пералом рабра", "перелом ребра", "a fractured rib"},
    {"ушыб галавы", "ушиб головы", "a head contusion"},
    {"сінякі на руках і нагах", "синяки на руках и ногах", "bruises on the arms and legs"}};
const Tri kComplaintTitle = {"СКАРГА ў пракуратуру", "ЖАЛОБА в прокуратуру",
                             "COMPLAINT to the Prosecutor's Office"};
const Tri kComplaintFrom = {"Ад: {person} (справа {number})", "От: {person} (дело {number})",
                            "From: {person} (case {number})"};
const Tri kComplaintEnd = {"Прашу правесці праверку і прыцягнуць вінаватых да адказнасці.",
                           "Прошу провести проверку и привлечь виновных к ответственности.",
                           "I ask for an investigation and for those responsible to be held to "
                           "account."};

}  // namespace

std::string written_date(int day, Lang lang) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day}}};
  const auto d = static_cast<unsigned>(ymd.day());
  const Tri& month = kMonths[static_cast<unsigned>(ymd.month()) - 1];
  const int y = static_cast<int>(ymd.year());
  if (lang == Lang::kEn) return fmt::format("{} {} {}", d, in(month, lang), y);
  return fmt::format("{} {} {} года", d, in(month, lang), y);
}

const std::vector<Place>& places() {
  return kPlaces;
}
const std::vector<Facility>& facilities() {
  return kFacilities;
}
const std::vector<Tri>& units() {
  return kUnits;
}
const std::vector<Tri>& ranks() {
  return kRanks;
}
const std::vector<Act>& acts() {
  return kActs;
}

namespace {

// "2 гады", "5 гадоў", "2 года", "5 лет", "2 years".
std::string years_phrase(int n, Lang lang) {
  if (lang == Lang::kEn) return fmt::format("{} years", n);
  const bool few = n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14);
  if (lang == Lang::kBe) return fmt::format("{} {}", n, few ? "гады" : "гадоў");
  return fmt::format("{} {}", n, few ? "года" : "лет");
}

// Upper-cases the first letter of each sentence (ASCII and Cyrillic).
std::string capitalise_sentences(std::string s) {
  bool start = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '.' || c == '!' || c == '?') {
      start = true;
      continue;
    }
    if (c == ' ') continue;
    if (start) {
      if (c >= 'a' && c <= 'z') {
        s[i] = static_cast<char>(c - 32);
      } else if (c == 0xD0 && i + 1 < s.size()) {
        // а-п (U+0430-043F) are D0 B0-BF; А-П are D0 90-9F; і (U+0456) D1 96 is handled below.
        auto n = static_cast<unsigned char>(s[i + 1]);
        if (n >= 0xB0 && n <= 0xBF) s[i + 1] = static_cast<char>(n - 0x20);
      } else if (c == 0xD1 && i + 1 < s.size()) {
        auto n = static_cast<unsigned char>(s[i + 1]);
        if (n >= 0x80 && n <= 0x8F) {  // р-я: D1 80-8F -> D0 A0-AF
          s[i] = static_cast<char>(0xD0);
          s[i + 1] = static_cast<char>(n + 0x20);
        } else if (n == 0x96) {  // і -> І (D0 86)
          s[i] = static_cast<char>(0xD0);
          s[i + 1] = static_cast<char>(0x86);
        }
      }
    }
    start = false;
  }
  return s;
}

const NameForms& given_of(bool female, int index) {
  const auto& list = female ? synth_female_names() : synth_male_names();
  return list[static_cast<std::size_t>(index)];
}

const char* form(const NameForms& n, Lang lang) {
  return lang == Lang::kBe ? n.be : lang == Lang::kRu ? n.ru : n.en;
}

// Everything a template may name, in one language.
struct Slots {
  Lang lang;
  std::string date, place, place_name, unit, official, facility, days, act1, act2, judge, article,
      years, trial_date, country, country_at, left_on, person, seen_on, injury, number;
  int trial_day = 0, left_day = 0;  // of trial_date and left_on (day_number())

  std::string fill(const Tri& t) const {
    return capitalise_sentences(fmt::format(
        fmt::runtime(in(t, lang)), fmt::arg("date", date), fmt::arg("place", place),
        fmt::arg("place_name", place_name), fmt::arg("unit", unit), fmt::arg("official", official),
        fmt::arg("facility", facility), fmt::arg("days", days), fmt::arg("act1", act1),
        fmt::arg("act2", act2), fmt::arg("judge", judge), fmt::arg("article", article),
        fmt::arg("years", years), fmt::arg("trial_date", trial_date), fmt::arg("country", country),
        fmt::arg("country_at", country_at), fmt::arg("left_on", left_on),
        fmt::arg("person", person), fmt::arg("seen_on", seen_on), fmt::arg("injury", injury),
        fmt::arg("number", number)));
  }
};

// Fills the slots from the story and starts the ground truth; `acts` are drawn here too.
Slots slots_for(Rng& rng, Lang lang, const Story& s, GroundTruth& truth) {
  Slots x{};
  x.lang = lang;
  const Place& place = kPlaces[static_cast<std::size_t>(s.place)];
  const Facility& facility = kFacilities[static_cast<std::size_t>(s.facility)];
  x.date = written_date(s.arrest_day, lang);
  x.place = in(place.at, lang);
  x.place_name = in(place.name, lang);
  x.unit = in(kUnits[static_cast<std::size_t>(s.unit)], lang);
  const NameForms& og = synth_male_names()[static_cast<std::size_t>(s.officer_given)];
  const NameForms& os = synth_surnames()[static_cast<std::size_t>(s.officer_surname)];
  const std::string officer = fmt::format("{} {}", form(og, lang), form(os, lang));
  const char* rank = in(kRanks[static_cast<std::size_t>(s.officer_rank)], lang);
  x.official = fmt::format("{} {}", rank, officer);
  const NameForms& jg = synth_male_names()[static_cast<std::size_t>(s.judge_given)];
  const NameForms& js = synth_surnames()[static_cast<std::size_t>(s.judge_surname)];
  x.judge = fmt::format("{} {}", form(jg, lang), form(js, lang));
  x.facility = in(facility.at, lang);
  x.days = std::to_string(s.days);
  const int a1 = rng.below(static_cast<int>(kActs.size()));
  int a2 = rng.below(static_cast<int>(kActs.size()) - 1);
  if (a2 >= a1) ++a2;
  x.act1 = in(kActs[static_cast<std::size_t>(a1)].did, lang);
  x.act2 = in(kActs[static_cast<std::size_t>(a2)].did, lang);
  x.trial_day = s.arrest_day + rng.between(1, 3);
  x.trial_date = written_date(x.trial_day, lang);
  x.years = years_phrase(rng.between(2, 6), lang);
  x.article = rng.pick(kAdminArticles);
  if (s.country >= 0) {
    const Country& c = kCountries[static_cast<std::size_t>(s.country)];
    x.country = in(c.to, lang);
    x.country_at = in(c.at, lang);
  }
  x.left_day = s.arrest_day + s.days + rng.between(20, 200);
  x.left_on = written_date(x.left_day, lang);
  x.seen_on = written_date(s.arrest_day + s.days + 1, lang);
  x.injury = in(rng.pick(kInjuries), lang);
  // Two documents of one kind for one witness differ at least in their registration number
  // (the hub would otherwise store the second as the first).
  x.number = fmt::format("{}/{}", rng.between(100, 99999), iso_date(s.arrest_day).substr(2, 2));

  truth.language = lang_code(lang);
  truth.facility_id = facility.id;
  truth.facility = x.facility;
  truth.date = iso_date(s.arrest_day);
  truth.place_id = place.id;
  truth.place = x.place;
  truth.place_name = in(place.name, Lang::kEn);
  truth.facility_name = facility.name;
  truth.officials = {{fmt::format("{} {}", og.en, os.en), officer, rank, x.unit},
                     {fmt::format("{} {}", jg.en, js.en), x.judge, in(kJudge, lang), ""}};
  truth.acts = {kActs[static_cast<std::size_t>(a1)].id, kActs[static_cast<std::size_t>(a2)].id};
  return x;
}

// The ground truth names only what the text says: drops the officials, acts, place, facility
// and date it left out.
void keep_what_is_said(Composed& c, const Slots& x) {
  const std::string text = c.text();
  std::erase_if(c.truth.officials,
                [&](const SynthPerson& p) { return text.find(p.name) == std::string::npos; });
  std::vector<std::string> acts;
  if (text.find(x.act1) != std::string::npos) acts.push_back(c.truth.acts[0]);
  if (text.find(x.act2) != std::string::npos) acts.push_back(c.truth.acts[1]);
  c.truth.acts = acts;
  // Place: "у Мінску" in a story, "Мінск" in a form's field; either may be left out.
  const bool at = text.find(x.place) != std::string::npos;
  if (!at && text.find(x.place_name) != std::string::npos) c.truth.place = x.place_name;
  if (!at && text.find(x.place_name) == std::string::npos) {
    c.truth.place_id = c.truth.place = c.truth.place_name = "";
  }
  if (text.find(x.facility) == std::string::npos) {
    c.truth.facility_id = c.truth.facility = c.truth.facility_name = "";
  }
  if (text.find(x.date) == std::string::npos) c.truth.date = "";
  c.truth.text = text;
}

}  // namespace

const char* lang_code(Lang lang) {
  return lang == Lang::kBe ? "be" : lang == Lang::kRu ? "ru" : "en";
}

int day_number(const std::string& iso) {
  using namespace std::chrono;
  const year_month_day ymd{year{std::stoi(iso.substr(0, 4))},
                           month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                           day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  return static_cast<int>(sys_days{ymd}.time_since_epoch().count());
}

std::string iso_date(int day_number) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day_number}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string Person::name(Lang lang) const {
  return fmt::format("{} {}", form(given_of(female, given), lang),
                     form(synth_surnames()[static_cast<std::size_t>(surname)], lang));
}

std::string Composed::text() const {
  std::string out = title;
  for (const auto& l : lines) out += "\n" + l;
  return out;
}

Rng rng_for(std::uint64_t seed, int witness_number, std::uint64_t purpose) {
  Rng mix(seed ^ (static_cast<std::uint64_t>(witness_number) * 0x9e3779b97f4a7c15ULL) ^
          (purpose << 56));
  return Rng(mix.next());
}

Story make_story(Rng& rng) {
  Story s;
  // Arrests from the election night of 9 August 2020 to the end of 2021.
  const int first = day_number("2020-08-09");
  const int last = day_number("2021-12-31");
  s.arrest_day = rng.chance(0.4) ? first + rng.below(7) : rng.between(first, last);
  s.facility = rng.below(static_cast<int>(kFacilities.size()));
  s.place = rng.chance(0.7) ? kFacilities[static_cast<std::size_t>(s.facility)].place
                            : rng.below(static_cast<int>(kPlaces.size()));
  s.unit = rng.below(static_cast<int>(kUnits.size()));
  s.officer_given = rng.below(static_cast<int>(synth_male_names().size()));
  s.officer_surname = rng.below(static_cast<int>(synth_surnames().size()));
  s.officer_rank = rng.below(static_cast<int>(kRanks.size()));
  s.judge_given = rng.below(static_cast<int>(synth_male_names().size()));
  s.judge_surname = rng.below(static_cast<int>(synth_surnames().size()));
  static const std::vector<int> kDays = {5,  6,  7,  8,  10, 12, 13, 14,
                                         15, 15, 15, 16, 18, 20, 25, 30};
  s.days = rng.pick(kDays);
  s.country = rng.chance(0.7) ? rng.below(static_cast<int>(kCountries.size())) : -1;
  return s;
}

const char* story_country(const Story& story) {
  return story.country < 0 ? "" : kCountries[static_cast<std::size_t>(story.country)].iso;
}

Composed make_transcript(Rng& rng, Lang lang, const Story& story, const std::string& code,
                         const std::string& interview_date, const std::string& interviewer) {
  Composed c;
  c.truth.kind = "transcript";
  Slots x = slots_for(rng, lang, story, c.truth);
  const std::vector<std::string> acts = c.truth.acts;  // {act1, act2}, both told below
  c.title = fmt::format(fmt::runtime(in(kTranscriptHeader, lang)), fmt::arg("code", code),
                        fmt::arg("on", interview_date), fmt::arg("by", interviewer));
  // Each line with what it tells; the templates are drawn as rng.pick would (same numbers).
  auto tell = [&](const char* theme, const std::vector<Tri>& templates, const Says& says,
                  std::size_t t, int day, const std::vector<std::string>& also) {
    c.lines.push_back(x.fill(templates.at(t)));
    SynthStatement told;
    told.theme = theme;
    told.says = also;
    for (const char* w : says.at(t)) told.says.emplace_back(w);
    told.date = iso_date(day);
    c.truth.statements.push_back(std::move(told));
  };
  auto draw = [&](const std::vector<Tri>& templates) {
    return static_cast<std::size_t>(rng.below(static_cast<int>(templates.size())));
  };
  tell("arrest", kArrest, kArrestSays, draw(kArrest), story.arrest_day, {});
  tell("detention", kDetention, kDetentionSays, draw(kDetention), story.arrest_day, {});
  tell("ill-treatment", kIllTreatment, kIllTreatmentSays, draw(kIllTreatment), story.arrest_day,
       acts);
  if (rng.chance(0.7)) {
    const std::size_t t = draw(kTrial);
    if (t == 1) x.article = rng.pick(kCriminalArticles);
    tell("trial", kTrial, kTrialSays, t, x.trial_day, {});
  }
  if (story.country >= 0) {
    tell("departure", kDeparture, kDepartureSays, draw(kDeparture), x.left_day, {});
  }
  keep_what_is_said(c, x);
  // Spans in code points of the text: the header, then each line after a "\n".
  auto code_points = [](const std::string& s) {
    std::int64_t n = 0;
    for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
  };
  std::int64_t at = code_points(c.title) + 1;
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    SynthStatement& told = c.truth.statements[i];
    told.begin = at;
    told.end = at + code_points(c.lines[i]);
    at = told.end + 1;
    for (const SynthPerson& p : c.truth.officials) {
      if (c.lines[i].find(p.name) != std::string::npos) told.persons.push_back(p.id);
    }
  }
  return c;
}

Composed make_document(Rng& rng, Lang lang, const Story& story, const Person& witness,
                       const std::string& kind, bool short_form) {
  Composed c;
  c.truth.kind = kind;
  Slots x = slots_for(rng, lang, story, c.truth);
  x.person = witness.name(lang);
  c.truth.persons = {x.person};
  auto form_lines = [&](const DocumentForm& f) {
    c.title = in(f.title, lang);
    for (const Tri& t : f.lines) c.lines.push_back(x.fill(t));
  };
  if (kind == "court") {
    form_lines(kCourt);
  } else if (kind == "official") {
    form_lines(kProtocol);
  } else if (kind == "medical") {
    form_lines(kMedical);
  } else {
    c.title = in(kComplaintTitle, lang);
    c.lines.push_back(x.fill(kComplaintFrom));
    c.lines.push_back(x.fill(rng.pick(kArrest)));
    if (!short_form) c.lines.push_back(x.fill(rng.pick(kDetention)));
    c.lines.push_back(x.fill(rng.pick(kIllTreatment)));
    c.lines.push_back(x.fill(kComplaintEnd));
  }
  keep_what_is_said(c, x);
  return c;
}

}  // namespace synth
}  // namespace evhub::collection
