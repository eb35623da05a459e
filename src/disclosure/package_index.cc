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

  1. Decrypt with the age key you gave us, and unpack:
       age -d -i YOUR-KEY.txt -o {1}.tar {0}
       tar -xf {1}.tar
       cd {1}
  2. Check that the package was signed by the hub and not changed since; it must print
     "Signature and comment signature verified":
       minisign -Vm tagmanifest-sha256.txt -p hub.pub -x tagmanifest-sha256.txt.minisig
     Compare the key ID on the first line of hub.pub ("minisign public key <ID>") with the
     key ID the hub's operators gave you by another channel. It is the first 16 hex digits of
     the SHA-256 of the key:
       tail -n1 hub.pub | base64 -d | tail -c 32 | sha256sum
  3. Check every file; every line must end in ": OK":
       sha256sum -c tagmanifest-sha256.txt
       sha512sum -c tagmanifest-sha512.txt
       sha256sum -c manifest-sha256.txt
       sha512sum -c manifest-sha512.txt
     Check that nothing was added to data/: this prints BYTES.FILES, which must equal
     Payload-Oxum in bag-info.txt:
       find data -type f -printf '%s\n' | awk '{{s+=$1}} END {{print s+0 "." NR}}'
  4. index.html and index.csv list every file: its production number (cite it), what it is,
     its dates and language, the SHA-256 of the original the hub holds and of the file you
     received (they differ where names and personal details were redacted), and its custody.
  5. proofs/ holds, for every file, the proof that its intake is in the hub's custody log, and
     the proof of this export, against a tree head signed with the hub's custody key. Check
     them with the script that comes with them (Python 3 standard library only; apt install
     python3 openssl). Every proof must print "OK: ...", and openssl "Signature Verified
     Successfully":
       cd proofs
       for p in *.json; do python3 verify_proof.py inclusion "$p" || echo "FAILED: $p"; done
       python3 verify_proof.py head export.json message.txt signature.bin
       openssl pkeyutl -verify -pubin -inkey hub-custody.pem -rawin -in message.txt \
         -sigfile signature.bin
     proofs/README.txt says what the proofs hold and how to check them by hand.

If any check fails, do not use the material: tell the sender.

РУССКИЙ

Этот пакет — ответ на ваш запрос. Это контейнер BagIt (RFC 8493), подписанный minisign и
зашифрованный вашим ключом age. Всё можно проверить стандартными программами (в Debian или
Ubuntu: apt install age minisign coreutils tar), без нашего программного обеспечения:

  1. Расшифруйте ключом age, который вы нам передали, и распакуйте:
       age -d -i ВАШ-КЛЮЧ.txt -o {1}.tar {0}
       tar -xf {1}.tar
       cd {1}
  2. Проверьте, что пакет подписан хабом и не изменён после подписи; программа должна
     вывести "Signature and comment signature verified":
       minisign -Vm tagmanifest-sha256.txt -p hub.pub -x tagmanifest-sha256.txt.minisig
     Сравните идентификатор ключа в первой строке hub.pub ("minisign public key <ID>") с
     идентификатором, который операторы хаба передали вам по другому каналу. Это первые 16
     шестнадцатеричных цифр SHA-256 ключа:
       tail -n1 hub.pub | base64 -d | tail -c 32 | sha256sum
  3. Проверьте каждый файл; каждая строка должна заканчиваться на ": OK":
       sha256sum -c tagmanifest-sha256.txt
       sha512sum -c tagmanifest-sha512.txt
       sha256sum -c manifest-sha256.txt
       sha512sum -c manifest-sha512.txt
     Проверьте, что в data/ ничего не добавлено: команда выводит БАЙТЫ.ФАЙЛЫ, что должно
     совпадать с Payload-Oxum в bag-info.txt:
       find data -type f -printf '%s\n' | awk '{{s+=$1}} END {{print s+0 "." NR}}'
  4. index.html и index.csv перечисляют все файлы: производственный номер (ссылайтесь на него),
     что это за материал, даты и язык, SHA-256 оригинала, хранящегося в хабе, и полученного
     вами файла (они различаются там, где имена и персональные данные были удалены), и историю
     хранения.
  5. В каталоге proofs/ для каждого файла лежит доказательство того, что его поступление
     записано в журнал хранения хаба, и доказательство этой выдачи — относительно вершины
     дерева, подписанной ключом журнала хаба. Проверьте их приложенным скриптом (только
     стандартная библиотека Python 3; apt install python3 openssl). Каждое доказательство
     должно вывести "OK: ...", а openssl — "Signature Verified Successfully":
       cd proofs
       for p in *.json; do python3 verify_proof.py inclusion "$p" || echo "FAILED: $p"; done
       python3 verify_proof.py head export.json message.txt signature.bin
       openssl pkeyutl -verify -pubin -inkey hub-custody.pem -rawin -in message.txt \
         -sigfile signature.bin
     proofs/README.txt объясняет, что содержат доказательства и как проверить их вручную.

Если какая-либо проверка не прошла, не используйте материал и сообщите отправителю.
)",
                     package, bag, request_reference);
}

}  // namespace evhub::disclosure
