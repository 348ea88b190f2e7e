/*
 * Fee-reduction form: shows the calculator's fee for the case kind and claim entered next
 * to the fee the applicant types, from /api/v1/fee/. Without JavaScript the server shows
 * the same figure when the form comes back.
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-fee-estimator]");
    if (!box || !window.fetch) { return; }
    var kind = box.querySelector("[name=case_kind]");
    var claim = box.querySelector("[name=claim_amount]");
    var output = box.querySelector("[data-fee-estimate]");
    var documentType = document.querySelector("[name=document_type]");
    var timer = null;
    function update() {
      var params = new URLSearchParams({ kind: kind.value });
      if (claim.value.trim()) { params.set("claim", claim.value.trim()); }
      // A mediated case pays half (Art. 15), as the server-side estimate says.
      if (documentType && documentType.value === "mediation") { params.set("mediated", "1"); }
      fetch(box.dataset.api + "?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.error) { output.textContent = ""; return; }
          var note = data.payable !== data.fee ? "（" + data.fee + " 元，调解结案减半交纳）" : "";
          output.textContent = "按《诉讼费用交纳办法》计算，本案受理费应为 " + data.payable + " 元" + note + "，请与您填写的受理费核对。";
        })
        .catch(function () { output.textContent = ""; });
    }
    function later() { clearTimeout(timer); timer = setTimeout(update, 300); }
    kind.addEventListener("change", later);
    if (documentType) { documentType.addEventListener("change", later); }
    claim.addEventListener("input", later);
  });
})();
