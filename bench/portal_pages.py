from bench.harness import benchmark, page

benchmark("home page (uncached, test client)")(page("/"))
benchmark("notice page /notice/")(page("/notice/"))
benchmark("standard page /how-to-apply/")(page("/how-to-apply/"))


@benchmark("parse + normalise 1,000 case numbers", repeat=50)
def case_numbers():
    from portal.identifiers import normalise_case_number

    typed = [f"(2025)黑0902民初{n}号" for n in range(1, 1001)]

    def run():
        for text in typed:
            normalise_case_number(text)

    return run
