// multipart/form-data bodies, the one way a browser uploads a file without script (the signed
// care plan of the split signature flow). What must stay true: a part's bytes reach the form
// as they were sent (a signature covers them exactly); a malformed body is a UsageError, never a
// partial form.
#include "core/Errors.h"
#include "web/Forms.h"

#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace caseflow::web {

PostedForm PostedForm::parse(const std::string& contentType, const std::string& body) {
    std::string type = contentType.substr(0, contentType.find(';'));
    for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (type != "multipart/form-data") return parse(body);
    PostedForm form;
    try {
        const Poco::Net::MediaType media(contentType);
        const std::string boundary = media.hasParameter("boundary") ? media.getParameter("boundary") : std::string();
        if (boundary.empty()) throw UsageError("the form's multipart body names no boundary");
        std::istringstream in(body);
        Poco::Net::MultipartReader reader(in, boundary);
        while (reader.hasNextPart()) {
            Poco::Net::MessageHeader header;
            reader.nextPart(header);
            std::string disposition;
            Poco::Net::NameValueCollection parameters;
            Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, parameters);
            std::string content;
            Poco::StreamCopier::copyToString(reader.stream(), content);
            if (disposition != "form-data" || !parameters.has("name"))
                throw UsageError("a part of the form has no field name");
            form.fields_.emplace_back(parameters.get("name"), std::move(content));
        }
    } catch (const Poco::Exception& error) {
        throw UsageError("the uploaded form is malformed: " + error.message());
    }
    return form;
}

} // namespace caseflow::web
