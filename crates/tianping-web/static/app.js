// 天平: the few interactions the pages need; every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // Filters: changing a select box applies it at once.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // Disabling an account asks first.
  document.querySelectorAll("form.inline-edit input[name=disabled]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked && !window.confirm("确定停用该账号？停用后立即无法登录。")) box.checked = false;
    });
  });
});
