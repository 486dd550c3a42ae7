import json
fixes = {
 '2606.18284': [('$10.1%/右箭头20.0%$', '$10.1\\% \\rightarrow 20.0\\%$'),
                ('$5.3\\% \\rightarrow 12.6%$', '$5.3\\% \\rightarrow 12.6\\%$'),
                ('$9.8\\%%\\rightarrow \\rightarrow 19.6\\%$', '$9.8\\% \\rightarrow 19.6\\%$')],
 '2606.18327': [('$36%%提升到$92%$', '$36\\%$提升到$92\\%$')],
 '2606.19004': [('$4\\ 倍,降低总成本 $1.4 至 $6.4\\,同时', '$4\\times$,降低总成本 $1.4$-$6.4\\times$,同时'),
                ('$512\\times512 美元和 $1280\\times1280 美元', '$512\\times512$ 和 $1280\\times1280$')],
 '2606.19162': [('9.38美元至2.62美元', '$9.38 \\to 2.62$'), ('88.2美元至19.3美元', '$88.2 \\to 19.3$')],
 '2606.19341': [('价格高出10美元/倍数美元的', '规模大10$\\times$的')],
}
out = open('tests/data/translate/seed_translations.jsonl', 'w')
for l in open('tests/data/seed/seed_papers.jsonl'):
    d = json.loads(l)
    zh = d['abstract_zh']
    for a, b in fixes.get(d['id'], []):
        assert zh.count(a) == 1, (d['id'], a)
        zh = zh.replace(a, b)
    rec = {'id': d['id'], 'title': d['title'], 'title_zh': d['title_zh'], 'abstract': d['abstract'],
           'abstract_zh': zh, 'corrected': d['id'] in fixes}
    out.write(json.dumps(rec, ensure_ascii=False) + '\n')
