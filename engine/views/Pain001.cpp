// The pain.001.001.03 writer (see Pain001.h). What must stay true: element order follows the
// ISO 20022 schema (tests validate every file written against it), and transfers keep their
// run's line order inside each execution date.
#include "views/Pain001.h"

#include "xml/Xml.h"

#include <map>
#include <vector>

namespace caseflow::views {
namespace {

// SEPA's Max35Text and Max70Text: longer names are cut, never refused, as banks do.
std::string text(const std::string& value, std::size_t maximum) {
    std::string cut;
    std::size_t characters = 0;
    for (std::size_t i = 0; i < value.size() && characters < maximum; ++characters) {
        // Whole UTF-8 sequences only.
        std::size_t length = 1;
        const auto lead = static_cast<unsigned char>(value[i]);
        if (lead >= 0xf0)
            length = 4;
        else if (lead >= 0xe0)
            length = 3;
        else if (lead >= 0xc0)
            length = 2;
        cut += value.substr(i, length);
        i += length;
    }
    return xml::escaped(cut);
}

struct Totals {
    int count = 0;
    std::int64_t cents = 0;
};

} // namespace

std::string sepaAmount(std::int64_t cents) {
    const std::string units = std::to_string(cents / 100);
    const int rest = static_cast<int>(cents % 100);
    return units + "." + (rest < 10 ? "0" : "") + std::to_string(rest);
}

std::string pain001(const store::PaymentRunRow& run) {
    std::map<std::string, std::vector<const store::PaymentRunTransferRow*>> byDate;
    Totals all;
    for (const auto& transfer : run.transfers) {
        byDate[transfer.executionDate].push_back(&transfer);
        ++all.count;
        all.cents += transfer.amountCents;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += std::string("<Document xmlns=\"") + pain001Namespace + "\">\n";
    out += "  <CstmrCdtTrfInitn>\n";
    out += "    <GrpHdr>\n";
    out += "      <MsgId>" + text(run.runId, 35) + "</MsgId>\n";
    out += "      <CreDtTm>" + xml::escaped(run.createdAt) + "</CreDtTm>\n";
    out += "      <NbOfTxs>" + std::to_string(all.count) + "</NbOfTxs>\n";
    out += "      <CtrlSum>" + sepaAmount(all.cents) + "</CtrlSum>\n";
    out += "      <InitgPty><Nm>" + text(run.debtorName, 70) + "</Nm></InitgPty>\n";
    out += "    </GrpHdr>\n";
    for (const auto& [date, transfers] : byDate) {
        Totals totals;
        for (const auto* transfer : transfers) {
            ++totals.count;
            totals.cents += transfer->amountCents;
        }
        out += "    <PmtInf>\n";
        out += "      <PmtInfId>" + text(run.runId + "-" + date, 35) + "</PmtInfId>\n";
        out += "      <PmtMtd>TRF</PmtMtd>\n";
        out += "      <BtchBookg>false</BtchBookg>\n";
        out += "      <NbOfTxs>" + std::to_string(totals.count) + "</NbOfTxs>\n";
        out += "      <CtrlSum>" + sepaAmount(totals.cents) + "</CtrlSum>\n";
        out += "      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\n";
        out += "      <ReqdExctnDt>" + xml::escaped(date) + "</ReqdExctnDt>\n";
        out += "      <Dbtr><Nm>" + text(run.debtorName, 70) + "</Nm></Dbtr>\n";
        out += "      <DbtrAcct><Id><IBAN>" + xml::escaped(run.debtorIban) + "</IBAN></Id><Ccy>EUR</Ccy></DbtrAcct>\n";
        out += "      <DbtrAgt><FinInstnId><BIC>" + xml::escaped(run.debtorBic) + "</BIC></FinInstnId></DbtrAgt>\n";
        out += "      <ChrgBr>SLEV</ChrgBr>\n";
        for (const auto* transfer : transfers) {
            out += "      <CdtTrfTxInf>\n";
            out += "        <PmtId><EndToEndId>" + text(transfer->paymentId, 35) + "</EndToEndId></PmtId>\n";
            out += "        <Amt><InstdAmt Ccy=\"EUR\">" + sepaAmount(transfer->amountCents) + "</InstdAmt></Amt>\n";
            out += "        <Cdtr><Nm>" + text(transfer->payeeName, 70) + "</Nm></Cdtr>\n";
            out += "        <CdtrAcct><Id><IBAN>" + xml::escaped(transfer->payeeIban) + "</IBAN></Id></CdtrAcct>\n";
            out += "        <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>"
                   "<Ref>" +
                   xml::escaped(transfer->communication) + "</Ref></CdtrRefInf></Strd></RmtInf>\n";
            out += "      </CdtTrfTxInf>\n";
        }
        out += "    </PmtInf>\n";
    }
    out += "  </CstmrCdtTrfInitn>\n";
    out += "</Document>\n";
    return out;
}

} // namespace caseflow::views
