/* Double pow(x, y) with libm's bits, for one y (TH's pow(t, v)) and for a y per element (cpow,
   tpow: glibc's checkint in every lane) (included from _vmath_k.h, once per kernel set,
   with its macros: VD/VL/VQ, MAD, K_, spl, the selects and masks; vm_exp_tab from _vmath.c).
   glibc 2.28+'s pow is ARM's optimized-routines' pow.c (MIT licensed): log(x) = k ln2 +
   log(c) + log1p(z/c - 1) in double-double from a 128-entry table (1/c, log(c) in two parts)
   and a degree-8 polynomial; y log(x) in double-double; exp of that through exp.c's 128-entry
   table (2^(i/128) as tail and bits, vm_exp_tab) with the tail added to the reduced argument.
   This replicates every operation in glibc 2.36's order: the AVX2+FMA and AVX-512 sets as
   __pow_fma (the ifunc's choice on CPUs with FMA and AVX2; the fused operations read from
   objdump: r = fma(z, invc, -1), k ln2hi + logc and k ln2lo + logctail fused, the
   __FP_FAST_FMA forms of r^2/2's error and of y log(x)'s low part, the polynomial's Horner
   steps and its addition to the low sum fused, exp's steps as the double exp kernel's), the
   portable set as the baseline build (no FMA: z split in halves whose products are exact,
   y and log(x) split at bit 27). Lanes glibc sends to its special cases go to libm: x 0,
   inf or NaN, x < 0 where y is not an integer, and results below 2^-1022 reached through exp's
   scaled path; the other special paths (|y log x| below 2^-54: +-(1 + ylogx); at least 1024:
   +-0 or +-inf; between 512 and 1024: the result scaled by 2^+-1009/1022; subnormal x: scaled
   by 2^52) are computed here as glibc computes them. y itself (0, inf, NaN, |y| < 2^-65 or
   >= 2^63) is the caller's test for one y (those go to libm's loop whole), a lane's test for
   a y per element. */
#ifndef VM_POW_TABLES
#define VM_POW_TABLES
/* glibc's __pow_log_data (read from this machine's libm, the same numbers as optimized-
   routines' pow_log_data.c): ln2 in two parts, the polynomial's coefficients A1..A6 (A0 is
   -1/2), and per subinterval of [0x1.6955p-1, 0x1.6955p0) 1/c, log(c) and its tail (1/c has
   few bits, so r = z/c - 1 is exact); the second column is glibc's padding (4 doubles an entry:
   a lane's index times 4 reaches its row) */
#define POW_LN2HI 0x1.62e42fefa38p-1
#define POW_LN2LO 0x1.ef35793c7673p-45
#define POW_A1 (-0x1.555555555556p-1)
#define POW_A2 0x1.0000000000006p-1
#define POW_A3 0x1.999999959554ep-1
#define POW_A4 (-0x1.555555529a47ap-1)
#define POW_A5 (-0x1.2495b9b4845e9p+0)
#define POW_A6 0x1.0002b8b263fc3p+0
#define POW_OFF 0x3fe6955500000000ULL
#define POW_SIGN_BIAS (0x800ULL << 7)
__attribute__((aligned(64))) static const double vm_pow_log_tab[128][4] = {
    {0x1.6ap+0, 0.0, -0x1.62c82f2b9c8p-2, 0x1.ab4242837568p-48},
    {0x1.68p+0, 0.0, -0x1.5d1bdbf5808p-2, -0x1.ca508d8e0f72p-46},
    {0x1.66p+0, 0.0, -0x1.57677174558p-2, -0x1.362a4d5b6506dp-45},
    {0x1.64p+0, 0.0, -0x1.51aad872df8p-2, -0x1.684e49eb067d5p-49},
    {0x1.62p+0, 0.0, -0x1.4be5f957778p-2, -0x1.41b6993293eep-47},
    {0x1.6p+0, 0.0, -0x1.4618bc21c6p-2, 0x1.3d82f484c84ccp-46},
    {0x1.5ep+0, 0.0, -0x1.404308686a8p-2, 0x1.c42f3ed820b3ap-50},
    {0x1.5cp+0, 0.0, -0x1.3a64c556948p-2, 0x1.0b1c68651946p-45},
    {0x1.5ap+0, 0.0, -0x1.347dd9a988p-2, 0x1.5594dd4c58092p-45},
    {0x1.58p+0, 0.0, -0x1.2e8e2bae12p-2, 0x1.67b1e99b72bd8p-45},
    {0x1.56p+0, 0.0, -0x1.2895a13de88p-2, 0x1.5ca14b6cfb03fp-46},
    {0x1.56p+0, 0.0, -0x1.2895a13de88p-2, 0x1.5ca14b6cfb03fp-46},
    {0x1.54p+0, 0.0, -0x1.22941fbcf78p-2, -0x1.65a242853da76p-46},
    {0x1.52p+0, 0.0, -0x1.1c898c16998p-2, -0x1.fafbc68e75404p-46},
    {0x1.5p+0, 0.0, -0x1.1675cababa8p-2, 0x1.f1fc63382a8fp-46},
    {0x1.4ep+0, 0.0, -0x1.1058bf9ae48p-2, -0x1.6a8c4fd055a66p-45},
    {0x1.4cp+0, 0.0, -0x1.0a324e2739p-2, -0x1.c6bee7ef4030ep-47},
    {0x1.4ap+0, 0.0, -0x1.0402594b4dp-2, -0x1.036b89ef42d7fp-48},
    {0x1.4ap+0, 0.0, -0x1.0402594b4dp-2, -0x1.036b89ef42d7fp-48},
    {0x1.48p+0, 0.0, -0x1.fb9186d5e4p-3, 0x1.d572aab993c87p-47},
    {0x1.46p+0, 0.0, -0x1.ef0adcbdc6p-3, 0x1.b26b79c86af24p-45},
    {0x1.44p+0, 0.0, -0x1.e27076e2afp-3, -0x1.72f4f543fff1p-46},
    {0x1.42p+0, 0.0, -0x1.d5c216b4fcp-3, 0x1.1ba91bbca681bp-45},
    {0x1.4p+0, 0.0, -0x1.c8ff7c79aap-3, 0x1.7794f689f8434p-45},
    {0x1.4p+0, 0.0, -0x1.c8ff7c79aap-3, 0x1.7794f689f8434p-45},
    {0x1.3ep+0, 0.0, -0x1.bc286742d9p-3, 0x1.94eb0318bb78fp-46},
    {0x1.3cp+0, 0.0, -0x1.af3c94e80cp-3, 0x1.a4e633fcd9066p-52},
    {0x1.3ap+0, 0.0, -0x1.a23bc1fe2bp-3, -0x1.58c64dc46c1eap-45},
    {0x1.3ap+0, 0.0, -0x1.a23bc1fe2bp-3, -0x1.58c64dc46c1eap-45},
    {0x1.38p+0, 0.0, -0x1.9525a9cf45p-3, -0x1.ad1d904c1d4e3p-45},
    {0x1.36p+0, 0.0, -0x1.87fa06520dp-3, 0x1.bbdbf7fdbfa09p-45},
    {0x1.34p+0, 0.0, -0x1.7ab890210ep-3, 0x1.bdb9072534a58p-45},
    {0x1.34p+0, 0.0, -0x1.7ab890210ep-3, 0x1.bdb9072534a58p-45},
    {0x1.32p+0, 0.0, -0x1.6d60fe719dp-3, -0x1.0e46aa3b2e266p-46},
    {0x1.3p+0, 0.0, -0x1.5ff3070a79p-3, -0x1.e9e439f105039p-46},
    {0x1.3p+0, 0.0, -0x1.5ff3070a79p-3, -0x1.e9e439f105039p-46},
    {0x1.2ep+0, 0.0, -0x1.526e5e3a1bp-3, -0x1.0de8b90075b8fp-45},
    {0x1.2cp+0, 0.0, -0x1.44d2b6ccb8p-3, 0x1.70cc16135783cp-46},
    {0x1.2cp+0, 0.0, -0x1.44d2b6ccb8p-3, 0x1.70cc16135783cp-46},
    {0x1.2ap+0, 0.0, -0x1.371fc201e9p-3, 0x1.178864d27543ap-48},
    {0x1.28p+0, 0.0, -0x1.29552f81ffp-3, -0x1.48d301771c408p-45},
    {0x1.26p+0, 0.0, -0x1.1b72ad52f6p-3, -0x1.e80a41811a396p-45},
    {0x1.26p+0, 0.0, -0x1.1b72ad52f6p-3, -0x1.e80a41811a396p-45},
    {0x1.24p+0, 0.0, -0x1.0d77e7cd09p-3, 0x1.a699688e85bf4p-47},
    {0x1.24p+0, 0.0, -0x1.0d77e7cd09p-3, 0x1.a699688e85bf4p-47},
    {0x1.22p+0, 0.0, -0x1.fec9131dbep-4, -0x1.575545ca333f2p-45},
    {0x1.2p+0, 0.0, -0x1.e27076e2bp-4, 0x1.a342c2af0003cp-45},
    {0x1.2p+0, 0.0, -0x1.e27076e2bp-4, 0x1.a342c2af0003cp-45},
    {0x1.1ep+0, 0.0, -0x1.c5e548f5bcp-4, -0x1.d0c57585fbe06p-46},
    {0x1.1cp+0, 0.0, -0x1.a926d3a4aep-4, 0x1.53935e85baac8p-45},
    {0x1.1cp+0, 0.0, -0x1.a926d3a4aep-4, 0x1.53935e85baac8p-45},
    {0x1.1ap+0, 0.0, -0x1.8c345d631ap-4, 0x1.37c294d2f5668p-46},
    {0x1.1ap+0, 0.0, -0x1.8c345d631ap-4, 0x1.37c294d2f5668p-46},
    {0x1.18p+0, 0.0, -0x1.6f0d28ae56p-4, -0x1.69737c93373dap-45},
    {0x1.16p+0, 0.0, -0x1.51b073f062p-4, 0x1.f025b61c65e57p-46},
    {0x1.16p+0, 0.0, -0x1.51b073f062p-4, 0x1.f025b61c65e57p-46},
    {0x1.14p+0, 0.0, -0x1.341d7961bep-4, 0x1.c5edaccf913dfp-45},
    {0x1.14p+0, 0.0, -0x1.341d7961bep-4, 0x1.c5edaccf913dfp-45},
    {0x1.12p+0, 0.0, -0x1.16536eea38p-4, 0x1.47c5e768fa309p-46},
    {0x1.1p+0, 0.0, -0x1.f0a30c0118p-5, 0x1.d599e83368e91p-45},
    {0x1.1p+0, 0.0, -0x1.f0a30c0118p-5, 0x1.d599e83368e91p-45},
    {0x1.0ep+0, 0.0, -0x1.b42dd71198p-5, 0x1.c827ae5d6704cp-46},
    {0x1.0ep+0, 0.0, -0x1.b42dd71198p-5, 0x1.c827ae5d6704cp-46},
    {0x1.0cp+0, 0.0, -0x1.77458f632cp-5, -0x1.cfc4634f2a1eep-45},
    {0x1.0cp+0, 0.0, -0x1.77458f632cp-5, -0x1.cfc4634f2a1eep-45},
    {0x1.0ap+0, 0.0, -0x1.39e87b9fecp-5, 0x1.502b7f526feaap-48},
    {0x1.0ap+0, 0.0, -0x1.39e87b9fecp-5, 0x1.502b7f526feaap-48},
    {0x1.08p+0, 0.0, -0x1.f829b0e78p-6, -0x1.980267c7e09e4p-45},
    {0x1.08p+0, 0.0, -0x1.f829b0e78p-6, -0x1.980267c7e09e4p-45},
    {0x1.06p+0, 0.0, -0x1.7b91b07d58p-6, -0x1.88d5493faa639p-45},
    {0x1.04p+0, 0.0, -0x1.fc0a8b0fcp-7, -0x1.f1e7cf6d3a69cp-50},
    {0x1.04p+0, 0.0, -0x1.fc0a8b0fcp-7, -0x1.f1e7cf6d3a69cp-50},
    {0x1.02p+0, 0.0, -0x1.fe02a6b1p-8, -0x1.9e23f0dda40e4p-46},
    {0x1.02p+0, 0.0, -0x1.fe02a6b1p-8, -0x1.9e23f0dda40e4p-46},
    {0x1p+0, 0.0, 0x0p+0, 0x0p+0},
    {0x1p+0, 0.0, 0x0p+0, 0x0p+0},
    {0x1.fcp-1, 0.0, 0x1.010157589p-7, -0x1.0c76b999d2be8p-46},
    {0x1.f8p-1, 0.0, 0x1.0205658938p-6, -0x1.3dc5b06e2f7d2p-45},
    {0x1.f4p-1, 0.0, 0x1.8492528c9p-6, -0x1.aa0ba325a0c34p-45},
    {0x1.fp-1, 0.0, 0x1.0415d89e74p-5, 0x1.111c05cf1d753p-47},
    {0x1.ecp-1, 0.0, 0x1.466aed42ep-5, -0x1.c167375bdfd28p-45},
    {0x1.e8p-1, 0.0, 0x1.894aa149fcp-5, -0x1.97995d05a267dp-46},
    {0x1.e4p-1, 0.0, 0x1.ccb73cdddcp-5, -0x1.a68f247d82807p-46},
    {0x1.e2p-1, 0.0, 0x1.eea31c006cp-5, -0x1.e113e4fc93b7bp-47},
    {0x1.dep-1, 0.0, 0x1.1973bd1466p-4, -0x1.5325d560d9e9bp-45},
    {0x1.dap-1, 0.0, 0x1.3bdf5a7d1ep-4, 0x1.cc85ea5db4ed7p-45},
    {0x1.d6p-1, 0.0, 0x1.5e95a4d97ap-4, -0x1.c69063c5d1d1ep-45},
    {0x1.d4p-1, 0.0, 0x1.700d30aeacp-4, 0x1.c1e8da99ded32p-49},
    {0x1.dp-1, 0.0, 0x1.9335e5d594p-4, 0x1.3115c3abd47dap-45},
    {0x1.ccp-1, 0.0, 0x1.b6ac88dad6p-4, -0x1.390802bf768e5p-46},
    {0x1.cap-1, 0.0, 0x1.c885801bc4p-4, 0x1.646d1c65aacd3p-45},
    {0x1.c6p-1, 0.0, 0x1.ec739830a2p-4, -0x1.dc068afe645ep-45},
    {0x1.c4p-1, 0.0, 0x1.fe89139dbep-4, -0x1.534d64fa10afdp-45},
    {0x1.cp-1, 0.0, 0x1.1178e8227ep-3, 0x1.1ef78ce2d07f2p-45},
    {0x1.bep-1, 0.0, 0x1.1aa2b7e23fp-3, 0x1.ca78e44389934p-45},
    {0x1.bap-1, 0.0, 0x1.2d1610c868p-3, 0x1.39d6ccb81b4a1p-47},
    {0x1.b8p-1, 0.0, 0x1.365fcb0159p-3, 0x1.62fa8234b7289p-51},
    {0x1.b4p-1, 0.0, 0x1.4913d8333bp-3, 0x1.5837954fdb678p-45},
    {0x1.b2p-1, 0.0, 0x1.527e5e4a1bp-3, 0x1.633e8e5697dc7p-45},
    {0x1.aep-1, 0.0, 0x1.6574ebe8c1p-3, 0x1.9cf8b2c3c2e78p-46},
    {0x1.acp-1, 0.0, 0x1.6f0128b757p-3, -0x1.5118de59c21e1p-45},
    {0x1.aap-1, 0.0, 0x1.7898d85445p-3, -0x1.c661070914305p-46},
    {0x1.a6p-1, 0.0, 0x1.8beafeb39p-3, -0x1.73d54aae92cd1p-47},
    {0x1.a4p-1, 0.0, 0x1.95a5adcf7p-3, 0x1.7f22858a0ff6fp-47},
    {0x1.ap-1, 0.0, 0x1.a93ed3c8aep-3, -0x1.8724350562169p-45},
    {0x1.9ep-1, 0.0, 0x1.b31d8575bdp-3, -0x1.c358d4eace1aap-47},
    {0x1.9cp-1, 0.0, 0x1.bd087383bep-3, -0x1.d4bc4595412b6p-45},
    {0x1.9ap-1, 0.0, 0x1.c6ffbc6f01p-3, -0x1.1ec72c5962bd2p-48},
    {0x1.96p-1, 0.0, 0x1.db13db0d49p-3, -0x1.aff2af715b035p-45},
    {0x1.94p-1, 0.0, 0x1.e530effe71p-3, 0x1.212276041f43p-51},
    {0x1.92p-1, 0.0, 0x1.ef5ade4ddp-3, -0x1.a211565bb8e11p-51},
    {0x1.9p-1, 0.0, 0x1.f991c6cb3bp-3, 0x1.bcbecca0cdf3p-46},
    {0x1.8cp-1, 0.0, 0x1.07138604d58p-2, 0x1.89cdb16ed4e91p-48},
    {0x1.8ap-1, 0.0, 0x1.0c42d67616p-2, 0x1.7188b163ceae9p-45},
    {0x1.88p-1, 0.0, 0x1.1178e8227e8p-2, -0x1.c210e63a5f01cp-45},
    {0x1.86p-1, 0.0, 0x1.16b5ccbacf8p-2, 0x1.b9acdf7a51681p-45},
    {0x1.84p-1, 0.0, 0x1.1bf99635a68p-2, 0x1.ca6ed5147bdb7p-45},
    {0x1.82p-1, 0.0, 0x1.214456d0eb8p-2, 0x1.a87deba46baeap-47},
    {0x1.7ep-1, 0.0, 0x1.2bef07cdc9p-2, 0x1.a9cfa4a5004f4p-45},
    {0x1.7cp-1, 0.0, 0x1.314f1e1d36p-2, -0x1.8e27ad3213cb8p-45},
    {0x1.7ap-1, 0.0, 0x1.36b6776be1p-2, 0x1.16ecdb0f177c8p-46},
    {0x1.78p-1, 0.0, 0x1.3c25277333p-2, 0x1.83b54b606bd5cp-46},
    {0x1.76p-1, 0.0, 0x1.419b423d5e8p-2, 0x1.8e436ec90e09dp-47},
    {0x1.74p-1, 0.0, 0x1.4718dc271c8p-2, -0x1.f27ce0967d675p-45},
    {0x1.72p-1, 0.0, 0x1.4c9e09e173p-2, -0x1.e20891b0ad8a4p-45},
    {0x1.7p-1, 0.0, 0x1.522ae0738ap-2, 0x1.ebe708164c759p-45},
    {0x1.6ep-1, 0.0, 0x1.57bf753c8dp-2, 0x1.fadedee5d40efp-46},
    {0x1.6cp-1, 0.0, 0x1.5d5bddf596p-2, -0x1.a0b2a08a465dcp-47},
};
#endif

/* pow(x, yd) of VM_W lanes (y finite, 2^-65 <= |y| < 2^63: glibc's main path for y);
   negbad: lanes (-1) whose negative x goes to libm (y not an integer), sbias: POW_SIGN_BIAS
   in the lanes whose y is odd (a negative x's sign). Returns the lanes for libm. */
VM_ATTR VM_INL int
K_(powd4)(const double *xp, double *yp, VD yd, VL negbad, VQ sbias)
{
    VD x;
    memcpy(&x, xp, sizeof x);
    VQ ix = (VQ)x;
    VL neg = (VL)ix < 0;
    VQ ax = ix & 0x7fffffffffffffffULL;
    VL spec = (VL)(ax - 1 >= 0x7ff0000000000000ULL - 1);      /* 0, inf, NaN */
    spec |= neg & negbad;
    VQ sb = (VQ)neg & sbias;
    VL sub = (VL)(ax - 1 < 0x000fffffffffffffULL);           /* subnormal: scaled by 2^52 */
#if VM_HW
    /* the bits the table index is read from: x's own in memory (the sign bit does not reach
       bits 45..51 of ax - POW_OFF), a copy of the scaled ax where a lane is subnormal */
    const double *xq = xp;
    double xsub[VM_W] __attribute__((aligned(64)));
#endif
    if (__builtin_expect(K_(mask4d)(sub) != 0, 0)) {
        VQ as = ((VQ)((VD)ax * 0x1p52) & 0x7fffffffffffffffULL) - (52ULL << 52);
        ax = vdseli(sub, as, ax);
#if VM_HW
        memcpy(xsub, &ax, sizeof xsub);
        __asm__("" : "+m"(xsub));
        xq = xsub;
#endif
    }
    /* log(x) = k ln2 + log(c) + log1p(r) in hi + lo */
    VQ tmp = ax - POW_OFF;
    VQ i4 = ((tmp >> 45) & 127) * 4;
    VL k = (VL)tmp >> 52;
    VQ iz = ax - (tmp & 0xfff0000000000000ULL);
    VD z = (VD)iz;
#if VM_HW == 2
    /* the 8 rows by 32-byte loads, transposed by two unpacks and three permutes (three
       gathers of 8 cost more on AMD's Zen); each row's byte offset 32 i from x's bits in
       memory by scalar operations, so the loads need not wait for the vector steps */
    (void)i4;
    uint64_t off[8] __attribute__((aligned(64)));
#define POW_ROW(j) _mm256_load_pd((const double *)((const char *)vm_pow_log_tab                \
                                  + (((((const vm_u64a *)xq)[j] - POW_OFF) >> 40) & 0xfe0)))
#define POW_ROWS(j) _mm512_insertf64x4(_mm512_castpd256_pd512(POW_ROW(j)), POW_ROW(j + 4), 1)
    __m512d ra = POW_ROWS(0), rb = POW_ROWS(1), rc = POW_ROWS(2), rd = POW_ROWS(3);
#undef POW_ROWS
#undef POW_ROW
    __m512d l0 = _mm512_unpacklo_pd(ra, rb), l1 = _mm512_unpacklo_pd(rc, rd);
    __m512d h0 = _mm512_unpackhi_pd(ra, rb), h1 = _mm512_unpackhi_pd(rc, rd);
    __m512i even = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
    __m512i odd = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    VD invc = (VD)_mm512_permutex2var_pd(l0, even, l1);
    VD logc = (VD)_mm512_permutex2var_pd(l0, odd, l1);
    VD logct = (VD)_mm512_permutex2var_pd(h0, odd, h1);
    VD kd = (VD)_mm512_cvtepi64_pd((__m512i)k);
#elif VM_HW
    /* the 4 rows by 32-byte loads at offsets from x's bits as above, transposed by four
       unpacks and three lane permutes (three gathers of 4 cost more) */
    (void)i4;
#define POW_ROW(j) _mm256_load_pd((const double *)((const char *)vm_pow_log_tab                \
                                  + (((((const vm_u64a *)xq)[j] - POW_OFF) >> 40) & 0xfe0)))
    __m256d ra = POW_ROW(0), rb = POW_ROW(1), rc = POW_ROW(2), rd = POW_ROW(3);
#undef POW_ROW
    __m256d l0 = _mm256_unpacklo_pd(ra, rb), l1 = _mm256_unpacklo_pd(rc, rd);
    __m256d h0 = _mm256_unpackhi_pd(ra, rb), h1 = _mm256_unpackhi_pd(rc, rd);
    VD invc = (VD)_mm256_permute2f128_pd(l0, l1, 0x20);
    VD logc = (VD)_mm256_permute2f128_pd(l0, l1, 0x31);
    VD logct = (VD)_mm256_permute2f128_pd(h0, h1, 0x31);
    VD kd = (VD)((VQ)k + 0x4338000000000000ULL) - 0x1.8p52;   /* (exact: |k| < 2^11) */
#else
    const double *tb = &vm_pow_log_tab[0][0];
    VD invc = {tb[i4[0]], tb[i4[1]], tb[i4[2]], tb[i4[3]]};
    VD logc = {tb[i4[0] + 2], tb[i4[1] + 2], tb[i4[2] + 2], tb[i4[3] + 2]};
    VD logct = {tb[i4[0] + 3], tb[i4[1] + 3], tb[i4[2] + 3], tb[i4[3] + 3]};
    VD kd = (VD)((VQ)k + 0x4338000000000000ULL) - 0x1.8p52;
#endif
#if VM_HW
    VD r = MAD(z, invc, spl(-1.0));
#else
    VD zhi = (VD)((iz + (1ULL << 31)) & 0xffffffff00000000ULL);
    VD rhi = zhi * invc - 1.0, rlo = (z - zhi) * invc;
    VD r = rhi + rlo;
#endif
    VD t1 = MAD(kd, spl(POW_LN2HI), logc);
    VD t2 = t1 + r;
    VD lo1 = MAD(kd, spl(POW_LN2LO), logct);
    VD lo2 = (t1 - t2) + r;
    VD ar = -0.5 * r;
    VD ar2 = r * ar, ar3 = r * ar2;
#if VM_HW
    VD hi = t2 + ar2;
    VD lo3 = MAD(ar, r, -ar2);
    VD lo4 = (t2 - hi) + ar2;
#else
    VD arhi = -0.5 * rhi;
    VD arhi2 = rhi * arhi;
    VD hi = t2 + arhi2;
    VD lo3 = rlo * (ar + arhi);
    VD lo4 = (t2 - hi) + arhi2;
#endif
    VD q = MAD(ar2, MAD(r, spl(POW_A6), spl(POW_A5)), MAD(r, spl(POW_A4), spl(POW_A3)));
    q = MAD(ar2, q, MAD(r, spl(POW_A2), spl(POW_A1)));
    VD lo = MAD(ar3, q, ((lo1 + lo2) + lo3) + lo4);
    VD lhi = hi + lo;
    VD llo = (hi - lhi) + lo;
    /* y log(x) = ehi + elo */
#if VM_HW
    VD ehi = yd * lhi;
    VD elo = MAD(yd, llo, MAD(yd, lhi, -ehi));
#else
    VD yhi = (VD)((VQ)yd & 0xfffffffff8000000ULL), ylo = yd - yhi;
    VD lh = (VD)((VQ)lhi & 0xfffffffff8000000ULL);
    VD ll = (lhi - lh) + llo;
    VD ehi = yhi * lh;
    VD elo = ylo * lh + yd * ll;
#endif
    /* exp(ehi + elo) = 2^(k/128) exp(r), r = ehi - k ln2/128 + elo */
    VQ abstop = ((VQ)ehi >> 52) & 0x7ff;
    VL big = (VL)(abstop - 0x3c9 > 0x3e);     /* |ehi| < 2^-54 or >= 512 (or NaN) */
    VD kx = MAD(ehi, spl(EXP_INVLN2N), spl(EXP_SHIFT));
    VQ ki = (VQ)kx;
    kx -= EXP_SHIFT;
    VD er = MAD(kx, spl(EXP_NEGLN2HIN), ehi);
    er = MAD(kx, spl(EXP_NEGLN2LON), er);
    er += elo;
    VQ idx = (ki & 127) * 2;
#if VM_HW == 2
    /* (tail, sbits) pairs by 16-byte loads and two unpacks, as the double exp kernel */
    _mm512_store_si512(off, (__m512i)(idx * 8));
    __asm__("" : "+m"(off));
#define POW_PAIR(j) _mm_load_pd((const double *)((const char *)vm_exp_tab + off[j]))
#define POW_PAIRS(j) _mm256_insertf128_pd(_mm256_castpd128_pd256(POW_PAIR(j)), POW_PAIR(j + 2), 1)
    __m512d ea = _mm512_insertf64x4(_mm512_castpd256_pd512(POW_PAIRS(0)), POW_PAIRS(4), 1);
    __m512d eb = _mm512_insertf64x4(_mm512_castpd256_pd512(POW_PAIRS(1)), POW_PAIRS(5), 1);
#undef POW_PAIRS
#undef POW_PAIR
    VD tail = (VD)_mm512_unpacklo_pd(ea, eb);
    VQ sbits = (VQ)_mm512_unpackhi_pd(ea, eb);
#elif VM_HW
    /* (tail, sbits) pairs by 16-byte loads (offsets through the stack) and two unpacks */
    uint64_t eoff[4] __attribute__((aligned(32)));
    _mm256_store_si256((__m256i *)eoff, (__m256i)(idx * 8));
    __asm__("" : "+m"(eoff));
#define POW_PAIR(j) _mm_load_pd((const double *)((const char *)vm_exp_tab + eoff[j]))
    __m256d ea = _mm256_insertf128_pd(_mm256_castpd128_pd256(POW_PAIR(0)), POW_PAIR(2), 1);
    __m256d eb = _mm256_insertf128_pd(_mm256_castpd128_pd256(POW_PAIR(1)), POW_PAIR(3), 1);
#undef POW_PAIR
    VD tail = (VD)_mm256_unpacklo_pd(ea, eb);
    VQ sbits = (VQ)_mm256_unpackhi_pd(ea, eb);
#else
    VQ tq = {vm_exp_tab[idx[0]], vm_exp_tab[idx[1]], vm_exp_tab[idx[2]], vm_exp_tab[idx[3]]};
    VQ sbits = {vm_exp_tab[idx[0] + 1], vm_exp_tab[idx[1] + 1], vm_exp_tab[idx[2] + 1],
                vm_exp_tab[idx[3] + 1]};
    VD tail = (VD)tq;
#endif
    sbits += (ki + sb) << 45;
    VD p23 = MAD(er, spl(EXP_C3), spl(EXP_C2));
    VD a = er + tail, er2 = er * er;
    VD p45 = MAD(er, spl(EXP_C5), spl(EXP_C4));
    VD etmp = MAD(p23, er2, a);
    etmp = MAD(er2 * er2, p45, etmp);
    VD y = MAD((VD)sbits, etmp, (VD)sbits);
    if (__builtin_expect(K_(mask4d)(big) != 0, 0)) {
        VQ sgn = sb << 45;                      /* (the sign bit where sign_bias is set) */
        /* 512 <= |ehi| < 1024: k > 0 scaled down by 2^1009, k < 0 up by 2^1022 */
        VL kpos = (VL)((ki & 0x80000000ULL) == 0);
        VD sup = (VD)(sbits - (1009ULL << 52));
        VD yup = 0x1p1009 * MAD(sup, etmp, sup);
        VD sdn = (VD)(sbits + (1022ULL << 52));
        VD ydn = sdn + sdn * etmp;
        VD ydn_abs = (VD)((VQ)ydn & 0x7fffffffffffffffULL);
        spec |= ~kpos & (VL)(ydn_abs < 1.0) & (VL)(abstop == 0x408);
        VD ys = vdsel(kpos, yup, 0x1p-1022 * ydn);
        /* |ehi| >= 1024: +-inf above, +-0 below */
        VD yflow = (VD)(vdseli((VQ)((VL)ehi < 0), (VQ)spl(0.0), (VQ)spl(__builtin_inf())) | sgn);
        ys = vdsel((VL)(abstop >= 0x409), yflow, ys);
        /* |ehi| < 2^-54: +-(1 + ehi) */
        VD one = 1.0 + ehi;
        VD ytiny = (VD)((VQ)one | sgn);
        ys = vdsel((VL)(abstop < 0x3c9), ytiny, ys);
        y = vdsel(big, ys, y);
    }
    memcpy(yp, &y, sizeof y);
    return K_(mask4d)(spec);
}

#if VM_HW == 2
/* powd4 on two steps of 8 lanes (x0[0..7], x1[0..7] into yp[0..15], y and its flags per
   step: yd[h], negbad[h], sbias[h]), powd4's operations on each lane, the two steps'
   interleaved (VM_EACH2) so that the core has independent work while one step waits on its
   table loads and chains. Returns the lanes for libm, the second step's in bits 8..15. */
VM_ATTR VM_INL int
K_(powd8x2)(const double *x0, const double *x1, double *yp, const VD *yd, const VL *negbad,
            const VQ *sbias)
{
    const double *xp[2] = {x0, x1};
    VD x[2];
    VM_EACH2(memcpy(&x[h], xp[h], sizeof x[h]));
    VQ ix[2], ax[2], sb[2];
    VL neg[2], spec[2], sub[2];
    VM_EACH2(ix[h] = (VQ)x[h]);
    VM_EACH2(neg[h] = (VL)ix[h] < 0);
    VM_EACH2(ax[h] = ix[h] & 0x7fffffffffffffffULL);
    VM_EACH2(spec[h] = (VL)(ax[h] - 1 >= 0x7ff0000000000000ULL - 1));   /* 0, inf, NaN */
    VM_EACH2(spec[h] |= neg[h] & negbad[h]);
    VM_EACH2(sb[h] = (VQ)neg[h] & sbias[h]);
    VM_EACH2(sub[h] = (VL)(ax[h] - 1 < 0x000fffffffffffffULL));        /* subnormal */
    /* the table rows' offsets from x's bits in memory, or from a copy of the scaled ax */
    const double *xq[2] = {x0, x1};
    double xsub[2][8] __attribute__((aligned(64)));
    if (__builtin_expect(K_(mask4d)(sub[0] | sub[1]) != 0, 0))
        VM_EACH2({
            VQ as = ((VQ)((VD)ax[h] * 0x1p52) & 0x7fffffffffffffffULL) - (52ULL << 52);
            ax[h] = vdseli(sub[h], as, ax[h]);
            memcpy(xsub[h], &ax[h], sizeof xsub[h]);
            __asm__("" : "+m"(xsub[h]));
            xq[h] = xsub[h];
        });
    /* log(x) = k ln2 + log(c) + log1p(r) in hi + lo */
    VQ tmp[2];
    VL k[2];
    VD z[2];
    VM_EACH2(tmp[h] = ax[h] - POW_OFF);
    VM_EACH2(k[h] = (VL)tmp[h] >> 52);
    VM_EACH2(z[h] = (VD)(ax[h] - (tmp[h] & 0xfff0000000000000ULL)));
#define POW_ROW(h, j) _mm256_load_pd((const double *)((const char *)vm_pow_log_tab             \
                                     + ((((const vm_u64a *)xq[h])[j] - POW_OFF) >> 40 & 0xfe0)))
#define POW_ROWS(h, j) _mm512_insertf64x4(_mm512_castpd256_pd512(POW_ROW(h, j)),                \
                                          POW_ROW(h, j + 4), 1)
    __m512d ra[2], rb[2], rc[2], rd[2];
    VM_EACH2(ra[h] = POW_ROWS(h, 0));
    VM_EACH2(rb[h] = POW_ROWS(h, 1));
    VM_EACH2(rc[h] = POW_ROWS(h, 2));
    VM_EACH2(rd[h] = POW_ROWS(h, 3));
#undef POW_ROWS
#undef POW_ROW
    const __m512i even = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
    const __m512i odd = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    __m512d l0[2], l1[2], h0[2], h1[2];
    VM_EACH2(l0[h] = _mm512_unpacklo_pd(ra[h], rb[h]));
    VM_EACH2(l1[h] = _mm512_unpacklo_pd(rc[h], rd[h]));
    VM_EACH2(h0[h] = _mm512_unpackhi_pd(ra[h], rb[h]));
    VM_EACH2(h1[h] = _mm512_unpackhi_pd(rc[h], rd[h]));
    VD invc[2], logc[2], logct[2], kd[2];
    VM_EACH2(invc[h] = (VD)_mm512_permutex2var_pd(l0[h], even, l1[h]));
    VM_EACH2(logc[h] = (VD)_mm512_permutex2var_pd(l0[h], odd, l1[h]));
    VM_EACH2(logct[h] = (VD)_mm512_permutex2var_pd(h0[h], odd, h1[h]));
    VM_EACH2(kd[h] = (VD)_mm512_cvtepi64_pd((__m512i)k[h]));
    VD r[2], t1[2], t2[2], lo1[2], lo2[2], ar[2], ar2[2], ar3[2], hi[2], lo3[2], lo4[2];
    VD q[2], lo[2], lhi[2], llo[2];
    VM_EACH2(r[h] = MAD(z[h], invc[h], spl(-1.0)));
    VM_EACH2(t1[h] = MAD(kd[h], spl(POW_LN2HI), logc[h]));
    VM_EACH2(t2[h] = t1[h] + r[h]);
    VM_EACH2(lo1[h] = MAD(kd[h], spl(POW_LN2LO), logct[h]));
    VM_EACH2(lo2[h] = (t1[h] - t2[h]) + r[h]);
    VM_EACH2(ar[h] = -0.5 * r[h]);
    VM_EACH2(ar2[h] = r[h] * ar[h]);
    VM_EACH2(ar3[h] = r[h] * ar2[h]);
    VM_EACH2(hi[h] = t2[h] + ar2[h]);
    VM_EACH2(lo3[h] = MAD(ar[h], r[h], -ar2[h]));
    VM_EACH2(lo4[h] = (t2[h] - hi[h]) + ar2[h]);
    VM_EACH2(q[h] = MAD(ar2[h], MAD(r[h], spl(POW_A6), spl(POW_A5)),
                        MAD(r[h], spl(POW_A4), spl(POW_A3))));
    VM_EACH2(q[h] = MAD(ar2[h], q[h], MAD(r[h], spl(POW_A2), spl(POW_A1))));
    VM_EACH2(lo[h] = MAD(ar3[h], q[h], ((lo1[h] + lo2[h]) + lo3[h]) + lo4[h]));
    VM_EACH2(lhi[h] = hi[h] + lo[h]);
    VM_EACH2(llo[h] = (hi[h] - lhi[h]) + lo[h]);
    /* y log(x) = ehi + elo */
    VD ehi[2], elo[2];
    VM_EACH2(ehi[h] = yd[h] * lhi[h]);
    VM_EACH2(elo[h] = MAD(yd[h], llo[h], MAD(yd[h], lhi[h], -ehi[h])));
    /* exp(ehi + elo) = 2^(k/128) exp(r), r = ehi - k ln2/128 + elo */
    VQ abstop[2], ki[2];
    VL big[2];
    VD kx[2], er[2];
    VM_EACH2(abstop[h] = ((VQ)ehi[h] >> 52) & 0x7ff);
    VM_EACH2(big[h] = (VL)(abstop[h] - 0x3c9 > 0x3e));  /* |ehi| < 2^-54 or >= 512 (or NaN) */
    VM_EACH2(kx[h] = MAD(ehi[h], spl(EXP_INVLN2N), spl(EXP_SHIFT)));
    VM_EACH2(ki[h] = (VQ)kx[h]);
    VM_EACH2(kx[h] -= EXP_SHIFT);
    VM_EACH2(er[h] = MAD(kx[h], spl(EXP_NEGLN2HIN), ehi[h]));
    VM_EACH2(er[h] = MAD(kx[h], spl(EXP_NEGLN2LON), er[h]));
    VM_EACH2(er[h] += elo[h]);
    /* (tail, sbits) pairs by 16-byte loads (offsets through the stack) and two unpacks */
    uint64_t off[2][8] __attribute__((aligned(64)));
    VM_EACH2(_mm512_store_si512(off[h], (__m512i)(((ki[h] & 127) * 2) * 8)));
    __asm__("" : "+m"(off));
#define POW_PAIR(h, j) _mm_load_pd((const double *)((const char *)vm_exp_tab + off[h][j]))
#define POW_PAIRS(h, j) _mm256_insertf128_pd(_mm256_castpd128_pd256(POW_PAIR(h, j)),           \
                                             POW_PAIR(h, j + 2), 1)
    __m512d ea[2], eb[2];
    VM_EACH2(ea[h] = _mm512_insertf64x4(_mm512_castpd256_pd512(POW_PAIRS(h, 0)),
                                        POW_PAIRS(h, 4), 1));
    VM_EACH2(eb[h] = _mm512_insertf64x4(_mm512_castpd256_pd512(POW_PAIRS(h, 1)),
                                        POW_PAIRS(h, 5), 1));
#undef POW_PAIRS
#undef POW_PAIR
    VD tail[2], p23[2], a[2], er2[2], p45[2], etmp[2], y[2];
    VQ sbits[2];
    VM_EACH2(tail[h] = (VD)_mm512_unpacklo_pd(ea[h], eb[h]));
    VM_EACH2(sbits[h] = (VQ)_mm512_unpackhi_pd(ea[h], eb[h]));
    VM_EACH2(sbits[h] += (ki[h] + sb[h]) << 45);
    VM_EACH2(p23[h] = MAD(er[h], spl(EXP_C3), spl(EXP_C2)));
    VM_EACH2(a[h] = er[h] + tail[h]);
    VM_EACH2(er2[h] = er[h] * er[h]);
    VM_EACH2(p45[h] = MAD(er[h], spl(EXP_C5), spl(EXP_C4)));
    VM_EACH2(etmp[h] = MAD(p23[h], er2[h], a[h]));
    VM_EACH2(etmp[h] = MAD(er2[h] * er2[h], p45[h], etmp[h]));
    VM_EACH2(y[h] = MAD((VD)sbits[h], etmp[h], (VD)sbits[h]));
    if (__builtin_expect(K_(mask4d)(big[0] | big[1]) != 0, 0))
        VM_EACH2({  /* (powd4's special exp paths) */
            VQ sgn = sb[h] << 45;
            VL kpos = (VL)((ki[h] & 0x80000000ULL) == 0);
            VD sup = (VD)(sbits[h] - (1009ULL << 52));
            VD yup = 0x1p1009 * MAD(sup, etmp[h], sup);
            VD sdn = (VD)(sbits[h] + (1022ULL << 52));
            VD ydn = sdn + sdn * etmp[h];
            VD ydn_abs = (VD)((VQ)ydn & 0x7fffffffffffffffULL);
            spec[h] |= ~kpos & (VL)(ydn_abs < 1.0) & (VL)(abstop[h] == 0x408);
            VD ys = vdsel(kpos, yup, 0x1p-1022 * ydn);
            VD yflow = (VD)(vdseli((VQ)((VL)ehi[h] < 0), (VQ)spl(0.0), (VQ)spl(__builtin_inf()))
                            | sgn);
            ys = vdsel((VL)(abstop[h] >= 0x409), yflow, ys);
            VD one = 1.0 + ehi[h];
            VD ytiny = (VD)((VQ)one | sgn);
            ys = vdsel((VL)(abstop[h] < 0x3c9), ytiny, ys);
            y[h] = vdsel(big[h], ys, y[h]);
        });
    VM_EACH2(memcpy(yp + 8 * h, &y[h], sizeof y[h]));
    return K_(mask4d)(spec[0]) | (K_(mask4d)(spec[1]) << 8);
}
#endif

/* pow(x[i], yv) for i < n; yint: 0 y not an integer, 1 an odd one, 2 an even one (y 0, inf,
   NaN, |y| < 2^-65 or >= 2^63: the caller's libm loop) */
VM_ATTR static void
K_(vm_pow)(const double *x, double *y, ptrdiff_t n, double yv, int yint)
{
    VD yd = spl(yv);
    VL negbad = (VL){0} + (yint == 0 ? -1 : 0);                /* (-1 or 0 in every lane) */
    VQ sbias = (VQ){0} + (yint == 1 ? POW_SIGN_BIAS : 0);
    int overlap = (uintptr_t)(x + n) > (uintptr_t)y && (uintptr_t)(y + n) > (uintptr_t)x;
#if VM_HW == 2
    const VD yd2[2] = {yd, yd};
    const VL negbad2[2] = {negbad, negbad};
    const VQ sbias2[2] = {sbias, sbias};
#endif
    ptrdiff_t i = 0;
    if (!overlap || x == y)
        for (; i + 2 * VM_W <= n; i += 2 * VM_W) {  /* two steps a turn: their chains overlap */
            double xc[2 * VM_W];  /* (in place: libm's lanes read the inputs kept here) */
            const double *xs = x + i;
            if (overlap) {
                memcpy(xc, x + i, sizeof xc);
                xs = xc;
            }
#if VM_HW == 2
            int m = K_(powd8x2)(xs, xs + VM_W, y + i, yd2, negbad2, sbias2);
#else
            int m = K_(powd4)(xs, y + i, yd, negbad, sbias)
                | (K_(powd4)(xs + VM_W, y + i + VM_W, yd, negbad, sbias) << VM_W);
#endif
            if (__builtin_expect(m != 0, 0))
                for (int j = 0; m; j++, m >>= 1)
                    if (m & 1)
                        y[i + j] = pow(xs[j], yv);
        }
    for (; i < n; i += VM_W) {
        double xb[VM_W], yb[VM_W];
        ptrdiff_t len = n - i < VM_W ? n - i : VM_W;
        for (int j = 0; j < VM_W; j++)
            xb[j] = 1.0;
        memcpy(xb, x + i, len * sizeof(double));
        int m = K_(powd4)(xb, yb, yd, negbad, sbias) & ((1 << len) - 1);
        if (__builtin_expect(m != 0, 0))
            for (int j = 0; m; j++, m >>= 1)
                if (m & 1)
                    yb[j] = pow(xb[j], yv);
        memcpy(y + i, yb, len * sizeof(double));
    }
}

/* the same on float buffers, each element's double pow rounded to float (TH's cpow and tpow
   on FloatTensors call C's double pow) */
VM_ATTR static void
K_(vm_pow32)(const float *x, float *y, ptrdiff_t n, double yv, int yint)
{
    double xd[256], yd[256];
    for (ptrdiff_t i = 0; i < n; i += 256) {
        ptrdiff_t len = n - i < 256 ? n - i : 256;
        for (ptrdiff_t j = 0; j < len; j++)
            xd[j] = x[i + j];
        K_(vm_pow)(xd, yd, len, yv, yint);
        for (ptrdiff_t j = 0; j < len; j++)
            y[i + j] = (float)yd[j];
    }
}

/* pow(x[i], y[i]) of VM_W lanes, y per lane: glibc's checkint (0 < |y| < 2^-65, >= 2^63, 0,
   inf and NaN lanes go to libm) */
VM_ATTR VM_INL int
K_(pow2d4)(const double *xp, const double *ypw, double *op)
{
    VD yd, xd;
    memcpy(&yd, ypw, sizeof yd);
    memcpy(&xd, xp, sizeof xd);
    VQ iy = (VQ)yd, e = (iy >> 52) & 0x7ff;
    VL yspec = (VL)(e - 0x3be >= 0x43e - 0x3be);
    VL negbad = (VL){0};
    VQ sbias = (VQ){0};
    if (K_(mask4d)((VL)xd < 0)) {  /* (y's parity matters only to negative x) */
        VL ge1 = (VL)(e >= 0x3ff), huge = (VL)(e > 0x3ff + 52);
        VQ c = vdseli((VQ)(ge1 & ~huge), 0x3ff + 52 - e, (VQ){0});   /* 0..52 */
        VL whole = (VL)((iy & ((((VQ){0} + 1) << c) - 1)) == 0);
        negbad = ~(huge | (ge1 & whole));
        sbias = (VQ)(~huge & ge1 & whole & (VL)(((iy >> c) & 1) != 0)) & POW_SIGN_BIAS;
    }
    /* (y in the flagged lanes: 2 keeps their arithmetic finite) */
    yd = vdsel(yspec, spl(2.0), yd);
    int m = K_(powd4)(xp, op, yd, negbad, sbias);
    return m | K_(mask4d)(yspec);
}

#if VM_HW == 2
/* pow2d4 on two steps of 8 lanes (x0[0..7] and x1[0..7] to the powers ypw[0..15]) through
   powd8x2 */
VM_ATTR VM_INL int
K_(pow2d8x2)(const double *x0, const double *x1, const double *ypw, double *op)
{
    VD yd[2], xd[2];
    VQ iy[2], e[2], sbias[2];
    VL yspec[2], negbad[2];
    VM_EACH2(memcpy(&yd[h], ypw + 8 * h, sizeof yd[h]));
    memcpy(&xd[0], x0, sizeof xd[0]);
    memcpy(&xd[1], x1, sizeof xd[1]);
    VM_EACH2(iy[h] = (VQ)yd[h]);
    VM_EACH2(e[h] = (iy[h] >> 52) & 0x7ff);
    VM_EACH2(yspec[h] = (VL)(e[h] - 0x3be >= 0x43e - 0x3be));
    VM_EACH2(negbad[h] = (VL){0});
    VM_EACH2(sbias[h] = (VQ){0});
    if (K_(mask4d)(((VL)xd[0] < 0) | ((VL)xd[1] < 0)))  /* (as pow2d4's, for both steps) */
        VM_EACH2({
            VL ge1 = (VL)(e[h] >= 0x3ff), huge = (VL)(e[h] > 0x3ff + 52);
            VQ c = vdseli((VQ)(ge1 & ~huge), 0x3ff + 52 - e[h], (VQ){0});
            VL whole = (VL)((iy[h] & ((((VQ){0} + 1) << c) - 1)) == 0);
            negbad[h] = ~(huge | (ge1 & whole));
            sbias[h] = (VQ)(~huge & ge1 & whole & (VL)(((iy[h] >> c) & 1) != 0)) & POW_SIGN_BIAS;
        });
    VM_EACH2(yd[h] = vdsel(yspec[h], spl(2.0), yd[h]));
    int m = K_(powd8x2)(x0, x1, op, yd, negbad, sbias);
    return m | K_(mask4d)(yspec[0]) | (K_(mask4d)(yspec[1]) << 8);
}
#endif

/* pow(x[i], y[i]) for i < n, or pow(x[0], y[i]) where xstep is 0 (TH's tpow); out may be x
   or y (in place) or overlap them: each step works on copies of its inputs */
VM_ATTR static void
K_(vm_pow2)(const double *x, int xstep, const double *y, double *out, ptrdiff_t n)
{
    double xb[VM_W], yb[VM_W], ob[VM_W];
    for (int j = 0; j < VM_W; j++)
        xb[j] = x[0];
#define POW_OVL(a, na)                                                                       \
    ((uintptr_t)((a) + (na)) > (uintptr_t)out && (uintptr_t)(out + n) > (uintptr_t)(a))
    int ovx = xstep && POW_OVL(x, n), ovy = POW_OVL(y, n);
#undef POW_OVL
    ptrdiff_t i = 0;
    if ((!ovx || out == x) && (!ovy || out == y))  /* (apart, or in place) */
        for (; i + 2 * VM_W <= n; i += 2 * VM_W) {  /* two steps a turn: their chains overlap */
            double xc[2 * VM_W], yc[2 * VM_W];  /* (in place: libm's lanes read these) */
            const double *xs = xstep ? x + i : xb, *ys = y + i;
            if (ovx) {  /* (xstep 1) */
                memcpy(xc, x + i, sizeof xc);
                xs = xc;
            }
            if (ovy) {
                memcpy(yc, ys, sizeof yc);
                ys = yc;
            }
#if VM_HW == 2
            int m = K_(pow2d8x2)(xs, xstep ? xs + VM_W : xb, ys, out + i);
#else
            int m = K_(pow2d4)(xs, ys, out + i)
                | (K_(pow2d4)(xstep ? xs + VM_W : xb, ys + VM_W, out + i + VM_W) << VM_W);
#endif
            if (__builtin_expect(m != 0, 0))
                for (int j = 0; m; j++, m >>= 1)
                    if (m & 1)
                        out[i + j] = pow(xstep ? xs[j] : xb[0], ys[j]);
        }
    for (; i < n; i += VM_W) {
        ptrdiff_t len = n - i < VM_W ? n - i : VM_W;
        if (xstep)
            memcpy(xb, x + i, len * sizeof(double));
        memcpy(yb, y + i, len * sizeof(double));
        for (ptrdiff_t j = len; j < VM_W; j++)
            xb[j] = yb[j] = 1.0;
        int m = K_(pow2d4)(xb, yb, ob) & ((1 << len) - 1);
        if (__builtin_expect(m != 0, 0))
            for (int j = 0; m; j++, m >>= 1)
                if (m & 1)
                    ob[j] = pow(xb[j], yb[j]);
        memcpy(out + i, ob, len * sizeof(double));
    }
}

/* the same on float buffers (the double pow of float elements, rounded to float) */
VM_ATTR static void
K_(vm_pow2_32)(const float *x, int xstep, const float *y, float *out, ptrdiff_t n)
{
    double xd[256], yd[256], od[256];
    xd[0] = x[0];
    for (ptrdiff_t i = 0; i < n; i += 256) {
        ptrdiff_t len = n - i < 256 ? n - i : 256;
        for (ptrdiff_t j = 0; j < len; j++) {
            if (xstep)
                xd[j] = x[i + j];
            yd[j] = y[i + j];
        }
        K_(vm_pow2)(xd, xstep, yd, od, len);
        for (ptrdiff_t j = 0; j < len; j++)
            out[i + j] = (float)od[j];
    }
}
