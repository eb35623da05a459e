#include "disclosure/package_index.h"

#include <csv.h>
#include <fmt/format.h>

#include "core/text.h"

namespace evhub::disclosure {

namespace {

constexpr const char* kHeader[] = {
    "production_number", "path",   "description", "dates", "language", "sha256_original",
    "sha256_delivered",  "custody"};

std::vector<std::string> cells(const IndexRow& r) {
  return {r.production_number, r.path,   r.description, r.dates, r.language, r.sha256_original,
          r.sha256_delivered,  r.custody};
}

// One quoted CSV field (libcsv doubles the quotes inside), guarded against formulas.
void append_csv_cell(std::string& out, std::string value) {
  if (!value.empty() &&
      (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    value = std::string(1, '\'') + value;
  }
  std::string quoted(value.size() * 2 + 2, '\0');
  quoted.resize(csv_write(quoted.data(), quoted.size(), value.data(), value.size()));
  out += quoted;
}

void append_csv_row(std::string& out, const std::vector<std::string>& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out += ',';
    append_csv_cell(out, row[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string index_csv(const std::vector<IndexRow>& rows) {
  std::string out = "\xEF\xBB\xBF";
  append_csv_row(out, std::vector<std::string>(std::begin(kHeader), std::end(kHeader)));
  for (const auto& r : rows) append_csv_row(out, cells(r));
  return out;
}

std::string index_html(const std::string& title, const std::vector<IndexRow>& rows) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  append_html_escaped(out, title);
  out +=
      "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}"
      "td.hash{font-family:monospace;font-size:80%;word-break:break-all}</style>\n</head>\n"
      "<body>\n<h1>";
  append_html_escaped(out, title);
  out += fmt::format(
      "</h1>\n<p>{} files. Each file's SHA-256 is that of the file in this package; the "
      "original's is that of the material the hub holds (they differ where it was redacted).</p>"
      "\n<table>\n<thead><tr><th>Production number</th><th>File</th><th>Description</th>"
      "<th>Dates</th><th>Language</th><th>SHA-256 of the original</th><th>SHA-256 of the file"
      "</th><th>Custody</th></tr></thead>\n<tbody>\n",
      rows.size());
  for (const auto& r : rows) {
    out += "<tr>";
    const auto row = cells(r);
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += (i == 5 || i == 6) ? "<td class=\"hash\">" : "<td>";
      append_html_escaped(out, row[i]);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</body>\n</html>\n";
  return out;
}

std::string readme_for_recipients(const std::string& package, const std::string& bag,
                                  const std::string& request_reference) {
  return fmt::format(R"(README FOR RECIPIENTS / ИНСТРУКЦИЯ ДЛЯ ПОЛУЧАТЕЛЯ
Request / Запрос: {2}

ENGLISH

This package answers your request. It is a BagIt bag (RFC 8493), signed with minisign and
encrypted to your age key. You can check everything with standard tools (on Debian or Ubuntu:
apt install age minisign coreutils tar), without our software:

  1. Decrypt and unpack:
       age -d -i YOUR-KEY.txt -o package.tar {0}
       tar -xf package.tar
       cd {1}
  2. Check that the package was signed by the hub and not changed since:
       minisign -Vm tagmanifest-sha256.txt -p hub.pub
     Compare hub.pub with the public key the hub's operators gave you separately.
  3. Check every file against the manifests:
       sha256sum -c tagmanifest-sha256.txt
       sha256sum -c manifest-sha256.txt
       sha512sum -c manifest-sha512.txt
     Every line must say OK. bag-info.txt gives the number of files and bytes (Payload-Oxum).
  4. index.html and index.csv list every file: its production number (cite it), what it is,
     its dates and language, the SHA-256 of the original the hub holds and of the file you
     received (they differ where names and personal details were redacted), and its custody.
  5. proofs/ holds, for every file, the proof that its intake is in the hub's custody log, and
     the proof of this export, against a tree head signed with the hub's custody key
     (proofs/README.txt says how to check them by hand with sha256sum and openssl).

If any check fails, do not use the material: tell the sender.

РУССКИЙ

Этот пакет — ответ на ваш запрос. Это контейнер BagIt (RFC 8493), подписанный minisign и
зашифрованный вашим ключом age. Всё можно проверить стандартными программами (в Debian или
Ubuntu: apt install age minisign coreutils tar), без нашего программного обеспечения:

  1. Расшифруйте и распакуйте:
       age -d -i ВАШ-КЛЮЧ.txt -o package.tar {0}
       tar -xf package.tar
       cd {1}
  2. Проверьте, что пакет подписан хабом и не изменён после подписи:
       minisign -Vm tagmanifest-sha256.txt -p hub.pub
     Сравните hub.pub с открытым ключом, который операторы хаба передали вам отдельно.
  3. Проверьте каждый файл по манифестам:
       sha256sum -c tagmanifest-sha256.txt
       sha256sum -c manifest-sha256.txt
       sha512sum -c manifest-sha512.txt
     Каждая строка должна заканчиваться на OK. В bag-info.txt указано число файлов и байт
     (Payload-Oxum).
  4. index.html и index.csv перечисляют все файлы: производственный номер (ссылайтесь на него),
     что это за материал, даты и язык, SHA-256 оригинала, хранящегося в хабе, и полученного
     вами файла (они различаются там, где имена и персональные данные были удалены), и историю
     хранения.
  5. В каталоге proofs/ для каждого файла лежит доказательство того, что его поступление
     записано в журнал хранения хаба, и доказательство этой выдачи — относительно вершины
     дерева, подписанной ключом журнала хаба (proofs/README.txt объясняет, как проверить их
     вручную с помощью sha256sum и openssl).

Если какая-либо проверка не прошла, не используйте материал и сообщите отправителю.
)",
                     package, bag, request_reference);
}

}  // namespace evhub::disclosure
