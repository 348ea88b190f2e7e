"""Filling the application forms in the browser: the fields both kinds share."""


def fill_case_and_applicant(page, *, case_number, document_type, document_date, performed_on, id_number):
    page.get_by_label("审理法院").select_option(label="七台河市新兴区人民法院")
    page.get_by_label("案号").fill(case_number)
    page.get_by_label("法律文书类型").select_option(label=document_type)
    page.get_by_label("法律文书制作日期").fill(document_date)
    page.get_by_label("案由").select_option(label="民间借贷纠纷")
    page.get_by_label("原告（申请执行人）").fill("李某")
    page.get_by_label("被告（被执行人）").fill("杨某")
    page.get_by_label("履行完毕日期").fill(performed_on)
    page.get_by_label("申请人身份").select_option(value="defendant")
    page.get_by_label("申请人姓名或名称").fill("杨某")
    page.get_by_label("身份证号码或统一社会信用代码", exact=True).fill(id_number)
    page.get_by_label("手机号码").fill("13912345678")
