"""Session 20's second sweep of public-repo training code (sw20g): whole main files of the
kind public Torch7 projects had (datasets, minibatch loops, ConfusionMatrix, optim.Logger,
checkpoints, GAN/VAE/siamese/seq2seq/char-rnn/DQN loops...), run under our th and under the
original Torch7. Every expectation is what the original Torch7 (/tmp/ref7: LuaJIT 2.1.0-beta2,
torch7 814ea4a, nn 8726825, paths 4ebe222) printed for the same code."""
from luatest import th_script


# -- paths.thisfile keeps a source that is not a file's -------------------------------------------
# paths/init.lua's thisfile: debug.getinfo(depth).source, made absolute only when it starts
# with '@'; any other string ('=[C]' when paths.dofile is called through pcall, a loadstring's
# code) is returned as it is, so paths.dofile resolves the file against its dirname ('.'), i.e.
# the cwd made absolute by paths.concat

def test_paths_dofile_through_pcall_resolves_against_the_cwd(tmp_path):
    (tmp_path / "sub.lua").write_text("return 40 + 2\n")
    r = th_script(
        "local cwd = paths.cwd():gsub('%p', '%%%0')\n"
        "local function rel(s) return (tostring(s):gsub(cwd, 'CWD')) end\n"
        "print(pcall(paths.thisfile))\n"
        "local ok, e = pcall(paths.dofile, 'missing.lua')\n"
        "print(ok, rel(e))\n"
        "print(pcall(paths.dofile, 'sub.lua'))\n"
        "local ok2, e2 = pcall(loadstring('return paths.dofile(\"zz.lua\")'))\n"
        "print(ok2, rel(e2))\n"
        "print(rel(select(2, pcall(paths.thisfile, 'q.lua'))))\n", tmp_path)
    # the original printed:
    assert r.stdout == ("true\t=[C]\t\n"
                        "false\tcannot open CWD/missing.lua: No such file or directory\t\n"
                        "true\t42\t\n"
                        "false\tcannot open CWD/zz.lua: No such file or directory\t\n"
                        "CWD/q.lua\t\n"), r.stderr


# -- pairs() of a table filled with strings the script made -------------------------------------
# LuaJIT's layout follows the order the keys went in; a vocabulary filled over text:gmatch(...)
# (or lines read from a file) got its words in the text's order, and a table of characters
# filled by a later gmatch('.') loop got them in that loop's order (a character met earlier as
# a word, 'a', included)

def test_pairs_of_a_vocabulary_filled_from_text(tmp_path):
    r = th_script(
        "local text = [[the quick brown fox jumps over the lazy dog while the cat sleeps on a "
        "warm mat\nand the dog barks at the moon every night because dogs like to bark loudly]]\n"
        "local counts = {}\n"
        "for w in text:gmatch('%a+') do counts[w] = (counts[w] or 0) + 1 end\n"
        "local order = {}\n"
        "for w, c in pairs(counts) do table.insert(order, w .. ':' .. c) end\n"
        "print(table.concat(order, ' '))\n"
        "local chars = {}\n"
        "for c in text:gmatch('.') do chars[c] = true end\n"
        "local ordered = {}\n"
        "for c in pairs(chars) do ordered[#ordered + 1] = c end\n"
        "print(#ordered, table.concat(ordered))\n"
        "local f = io.open('v.txt', 'w')\n"
        "f:write('zeta 1\\nalpha 2\\nmu 3\\nbeta 4\\nomega 5\\ndelta 6\\nkappa 7\\npi 8\\nrho 9\\n')\n"
        "f:close()\n"
        "local v = {}\n"
        "for l in io.lines('v.txt') do local k, n = l:match('(%S+) (%d+)'); v[k] = n end\n"
        "local o = {}\n"
        "for k, n in pairs(v) do o[#o + 1] = k .. n end\n"
        "print(table.concat(o, ' '))\n", tmp_path)
    # the original printed:
    assert r.stdout == (
        "cat:1 to:1 brown:1 a:1 on:1 over:1 like:1 and:1 loudly:1 because:1 quick:1 moon:1 "
        "sleeps:1 at:1 night:1 mat:1 every:1 lazy:1 fox:1 bark:1 while:1 warm:1 the:5 barks:1 "
        "jumps:1 dogs:1 dog:2\t\n"
        "28\tomwexajukc\nfvgqsdbrnzlip tyh\t\n"
        "pi8 kappa7 delta6 rho9 alpha2 beta4 zeta1 omega5 mu3\t\n"), r.stderr


# -- the string library keeps its errors and names under those wrappers -----------------------
# (the wrappers that stamp the strings made: a direct call's message, at the caller's line, the
# function named as the caller named it; from C or a tail call '?' and no position)

def test_string_library_errors_and_names(tmp_path):
    r = th_script(
        "print(pcall(function() local s = ('abc'):sub() return s end))\n"
        "print(pcall(function() local s = string.sub() return s end))\n"
        "print(pcall(function() return string.sub() end))\n"
        "print(pcall(string.sub))\n"
        "print(pcall(function() local s = string.gsub('abc') return s end))\n"
        "print(pcall(function() for w in ('abc'):gmatch('%') do end end))\n"
        "print(pcall(function() for w in string.gmatch(nil, 'x') do end end))\n"
        "print(pcall(function() local x = ('a'):match('(') return x end))\n"
        "print(pcall(function() local x = io.stdin:read('*x') return x end))\n"
        "print(pcall(function() for l in io.lines('/nonexistent/zz') do end end))\n"
        "print(pcall(function() local f = io.open('s.lua'); f:close(); return f:read() end))\n"
        "print(ipairs({}), (string.gmatch('a', 'a')), string.gfind, string.sub)\n"
        "print(string.format('%s|%s', string.gmatch('a', 'a'), ipairs({})))\n", tmp_path)
    # the original printed:
    assert r.stdout == (
        "false\ts.lua:1: bad argument #1 to 'sub' (number expected, got no value)\t\n"
        "false\ts.lua:2: bad argument #1 to 'sub' (string expected, got no value)\t\n"
        "false\tbad argument #1 to '?' (string expected, got no value)\t\n"
        "false\tbad argument #1 to '?' (string expected, got no value)\t\n"
        "false\ts.lua:5: bad argument #2 to 'gsub' (string expected, got no value)\t\n"
        "false\ts.lua:6: malformed pattern (ends with '%')\t\n"
        "false\ts.lua:7: bad argument #1 to 'gmatch' (string expected, got nil)\t\n"
        "false\ts.lua:8: unfinished capture\t\n"
        "false\ts.lua:9: bad argument #1 to 'read' (invalid format)\t\n"
        "false\ts.lua:10: bad argument #1 to 'lines' (/nonexistent/zz: No such file or "
        "directory)\t\n"
        "false\tattempt to use a closed file\t\n"
        "function: builtin#6\tfunction: builtin#87\tfunction: builtin#88\tfunction: builtin#79\t\n"
        "function: builtin#87|function: builtin#6\t\n"), r.stderr


# -- pairs() of a vocabulary with special tokens, and of an index ------------------------------
# a constructor's strings ({['<pad>'] = 1, ['<unk>'] = 2}) went in first, then the words the text
# gave; an index (values consecutive integers, one each: ids given at first sight, or
# `v[w] = i + 1` over a sorted list) went in by value; gmatch's first capture is a made string

def test_pairs_of_an_index_after_a_constructor(tmp_path):
    r = th_script(
        "local text = 'the movie was great , really great ! terrible acting ; the plot was thin .'\n"
        "local word2id, n = {['<pad>'] = 1, ['<unk>'] = 2}, 2\n"
        'local freq = {}\n'
        "for tok in text:gmatch('%S+') do\n"
        '   freq[tok] = (freq[tok] or 0) + 1\n'
        '   if not word2id[tok] then n = n + 1; word2id[tok] = n end\n'
        'end\n'
        'local o = {}\n'
        'for w, i in pairs(word2id) do o[#o + 1] = w .. i end\n'
        "print(table.concat(o, ' '))\n"
        'local keep = {}\n'
        'for w, c in pairs(freq) do keep[#keep + 1] = w end\n'
        'table.sort(keep)\n'
        "local v2 = {['<unk>'] = 1}\n"
        'for i, w in ipairs(keep) do v2[w] = i + 1 end\n'
        'o = {}\n'
        'for w, i in pairs(v2) do o[#o + 1] = w .. i end\n'
        "print(table.concat(o, ' '))\n"
        'local row = {}\n'
        "for k, v in ('zeta=4;a=1;mu=3;b=2;c=3;alpha=5'):gmatch('(%w+)=(%w+)') do row[k] = tonumber(v) end\n"
        'o = {}\n'
        'for k, v in pairs(row) do o[#o + 1] = k .. v end\n'
        "print(table.concat(o, ' '))\n"
        , tmp_path)
    # the original printed:
    assert r.stdout == (
        ";12 terrible10 really8 thin14 movie4 the3 <pad>1 great6 acting11 ,7 plot13 .15 !9 "
        "<unk>2 was5\t\n"
        ";5 <unk>1 was14 movie8 the12 thin13 !2 terrible11 ,3 plot9 .4 really10 great7 "
        "acting6\t\n"
        "a1 alpha5 zeta4 mu3 c3 b2\t\n"), r.stderr


# -- every capture match returns is a made string ---------------------------------------------
# ("path label" lines: the labels are match's second capture; an index of them and a count per
# label went in in the order the file gave them)

def test_pairs_of_labels_read_with_match_captures(tmp_path):
    r = th_script(
        "local f = io.open('labels.txt', 'w')\n"
        "f:write('train/cat/001.jpg cat\\ntrain/dog/002.jpg dog\\ntrain/cat/003.jpg cat\\n'\n"
        "        .. 'train/bird/004.jpg bird\\ntrain/fish/006.jpg fish\\n')\n"
        'f:close()\n'
        'local classList, classIndices, paths_ = {}, {}, {}\n'
        "for line in io.lines('labels.txt') do\n"
        "   local path, cls = line:match('^(%S+)%s+(%S+)$')\n"
        '   if not classIndices[cls] then\n'
        '      classList[#classList + 1] = cls\n'
        '      classIndices[cls] = #classList\n'
        '   end\n'
        '   paths_[#paths_ + 1] = {path, cls}\n'
        'end\n'
        'local o = {}\n'
        'for c, i in pairs(classIndices) do o[#o + 1] = c .. i end\n'
        "print(table.concat(o, ' '))\n"
        'local perClass = {}\n'
        'for _, pc in ipairs(paths_) do\n'
        '   perClass[pc[2]] = (perClass[pc[2]] or 0) + 1\n'
        'end\n'
        'o = {}\n'
        'for c, n in pairs(perClass) do o[#o + 1] = c .. n end\n'
        "print(table.concat(o, ' '))\n"
        , tmp_path)
    # the original printed:
    assert r.stdout == "fish4 dog2 bird3 cat1\t\nfish1 dog1 bird1 cat2\t\n", r.stderr
