// Every instruction and prefix name NASM knows (its x86/insns.dat and prefix list, condition-
// code families left out since the ISA table has them all). A first word in this list starts
// an instruction even when sterna's ISA table lacks it, so `int01' or `xacquire' alone on a
// line is refused as an unsupported instruction instead of silently becoming a label.

const names = `
  a64 aaa aad aam aas addpd addps addsd addss addsubpd addsubps aesdec aesdec128kl aesdec256kl
  aesdeclast aesdecwide128kl aesdecwide256kl aesenc aesenc128kl aesenc256kl aesenclast
  aesencwide128kl aesencwide256kl aesimc aeskeygenassist andnpd andnps andpd andps asp
  bb0_reset bb1_reset blendpd blendps blendvpd blendvps bnd bndcl bndcn bndcu bndldx bndmk
  bndmov bndstx brkpt bswap cbw cdq cdqe clac clc cld cldemote clflush clflushopt clgi cli
  clrssbsy clts clui clwb clzero cmc cmpeqpd cmpeqps cmpeqsd cmpeqss cmplepd cmpleps cmplesd
  cmpless cmpltpd cmpltps cmpltsd cmpltss cmpneqpd cmpneqps cmpneqsd cmpneqss cmpnlepd cmpnleps
  cmpnlesd cmpnless cmpnltpd cmpnltps cmpnltsd cmpnltss cmpordpd cmpordps cmpordsd cmpordss
  cmppd cmpps cmpsd cmpss cmpunordpd cmpunordps cmpunordsd cmpunordss cmpxchg16b cmpxchg8b
  comisd comiss cpu_read cpu_write cpuid cqo crc32 cvtdq2pd cvtdq2ps cvtpd2dq cvtpd2pi cvtpd2ps
  cvtpi2pd cvtpi2ps cvtps2dq cvtps2pd cvtps2pi cvtsd2si cvtsd2ss cvtsi2sd cvtsi2ss cvtss2sd
  cvtss2si cvttpd2dq cvttpd2pi cvttps2dq cvttps2pi cvttsd2si cvttss2si cwd cwde daa das db dd
  divpd divps divsd divss dmint do dppd dpps dq dt dw dy dz emms encls enclu enclv encodekey128
  encodekey256 endbr32 endbr64 enqcmd enqcmds equ erets eretu evex extractps extrq f2xm1 fabs
  fadd faddp fbld fbstp fchs fclex fcmovb fcmovbe fcmove fcmovnb fcmovnbe fcmovne fcmovnu
  fcmovu fcom fcomi fcomip fcomp fcompp fcos fdecstp fdisi fdiv fdivp fdivr fdivrp femms feni
  ffree ffreep fiadd ficom ficomp fidiv fidivr fild fimul fincstp finit fist fistp fisttp fisub
  fisubr fld fld1 fldcw fldenv fldl2e fldl2t fldlg2 fldln2 fldpi fldz fmul fmulp fnclex fndisi
  fneni fninit fnop fnsave fnstcw fnstenv fnstsw fpatan fprem fprem1 fptan frndint frstor fsave
  fscale fsetpm fsin fsincos fsqrt fst fstcw fstenv fstp fstsw fsub fsubp fsubr fsubrp ftst
  fucom fucomi fucomip fucomp fucompp fwait fxam fxch fxrstor fxrstor64 fxsave fxsave64 fxtract
  fyl2x fyl2xp1 getsec gf2p8affineinvqb gf2p8affineqb gf2p8mulb haddpd haddps hlt hreset hsubpd
  hsubps icebp incbin incsspd incsspq insertps insertq int int01 int03 int1 int3 into invd
  invept invlpg invlpga invpcid invvpid jmp jmpabs lahf lddqu ldmxcsr ldtilecfg lfence lkgs
  llwpcb lmsw loadall loadall286 loadiwkey lwpins lwpval maskmovdqu maskmovq maxpd maxps maxsd
  maxss mfence minpd minps minsd minss montmul mov movapd movaps movd movddup movdir64b movdq2q
  movdqa movdqu movhlps movhpd movhps movlhps movlpd movlps movmskpd movmskps movntdq movntdqa
  movnti movntpd movntps movntq movntsd movntss movq movq2dq movsd movshdup movsldup movss
  movsx movsxb movsxd movsxw movupd movups mpsadbw mulpd mulps mulsd mulss mwait mwaitx nobnd
  nop nop2 o64 orpd orps osp pabsb pabsd pabsw packssdw packsswb packusdw packuswb paddb paddd
  paddq paddsb paddsiw paddsw paddusb paddusw paddw palignr pand pandn pause paveb pavgb
  pavgusb pavgw pblendvb pblendw pbndkb pclmulhqhqdq pclmulhqlqdq pclmullqhqdq pclmullqlqdq
  pclmulqdq pcmpeqb pcmpeqd pcmpeqq pcmpeqw pcmpestri pcmpestrm pcmpgtb pcmpgtd pcmpgtq pcmpgtw
  pcmpistri pcmpistrm pcommit pconfig pdistib pextrb pextrd pextrq pextrw pf2id pf2iw pfacc
  pfadd pfcmpeq pfcmpge pfcmpgt pfmax pfmin pfmul pfnacc pfpnacc pfrcp pfrcpit1 pfrcpit2 pfrcpv
  pfrsqit1 pfrsqrt pfrsqrtv pfsub pfsubr phaddd phaddsw phaddw phminposuw phsubd phsubsw phsubw
  pi2fd pi2fw pinsrb pinsrd pinsrq pinsrw pmachriw pmaddubsw pmaddwd pmagw pmaxsb pmaxsd pmaxsw
  pmaxub pmaxud pmaxuw pminsb pminsd pminsw pminub pminud pminuw pmovmskb pmovsxbd pmovsxbq
  pmovsxbw pmovsxdq pmovsxwd pmovsxwq pmovzxbd pmovzxbq pmovzxbw pmovzxdq pmovzxwd pmovzxwq
  pmuldq pmulhriw pmulhrsw pmulhrwa pmulhrwc pmulhuw pmulhw pmulld pmullw pmuludq pmvgezb
  pmvlzb pmvnzb pmvzb pop pop2 pop2p popcnt popp por prefetch prefetchit0 prefetchit1
  prefetchnta prefetchrst2 prefetcht0 prefetcht1 prefetcht2 prefetchw prefetchwt1 psadbw pshufb
  pshufd pshufhw pshuflw pshufw psignb psignd psignw pslld pslldq psllq psllw psrad psraw psrld
  psrldq psrlq psrlw psubb psubd psubq psubsb psubsiw psubsw psubusb psubusw psubw pswapd ptest
  punpckhbw punpckhdq punpckhqdq punpckhwd punpcklbw punpckldq punpcklqdq punpcklwd push push2
  push2p pushp pvalidate pxor rcpps rcpss rdm rdmsr rdmsrlist rdpid rdpkru rdpmc rdshr rdsspd
  rdsspq rdtsc rdtscp resb resd reso resq rest resw resy resz rex rex2 rmpadjust roundpd
  roundps roundsd roundss rsdc rsldt rsm rsqrtps rsqrtss rstorssp rsts sahf salc saveprevssp
  senduipi serialize setssbsy sfence sha1msg1 sha1msg2 sha1nexte sha1rnds4 sha256msg1
  sha256msg2 sha256rnds2 shufpd shufps skinit slwpcb smint smintold smsw sqrtpd sqrtps sqrtsd
  sqrtss stac stc std stgi sti stmxcsr sttilecfg stui subpd subps subsd subss svdc svldt svts
  swapgs syscall sysenter sysexit sysret t2rpntlvwz0 t2rpntlvwz0rs t2rpntlvwz0rst1
  t2rpntlvwz0t1 t2rpntlvwz1 t2rpntlvwz1rs t2rpntlvwz1rst1 t2rpntlvwz1t1 tcmmimfp16ps
  tcmmrlfp16ps tconjtcmmimfp16ps tconjtfp16 tcvtrowd2ps tcvtrowps2bf16h tcvtrowps2bf16l
  tcvtrowps2phh tcvtrowps2phl tdpbf16ps tdpbf8ps tdpbhf8ps tdpbssd tdpbsud tdpbusd tdpbuud
  tdpfp16ps tdphbf8ps tdphf8ps testui tileloadd tileloaddrs tileloaddrst1 tileloaddt1
  tilemovrow tilerelease tilestored tilezero tmmultf32ps tpause ttcmmimfp16ps ttcmmrlfp16ps
  ttdpbf16ps ttdpfp16ps ttmmultf32ps ttransposed ucomisd ucomiss ud0 ud1 ud2 ud2a ud2b udb udw
  uiret umwait unpckhpd unpckhps unpcklpd unpcklps urdmsr uwrmsr v4fmaddps v4fmaddss v4fnmaddps
  v4fnmaddss vaddbf16 vaddpd vaddph vaddps vaddsd vaddsh vaddss vaddsubpd vaddsubps vaesdec
  vaesdeclast vaesenc vaesenclast vaesimc vaeskeygenassist valignd valignq vandnpd vandnps
  vandpd vandps vbcstnebf162ps vbcstnebf16ps vbcstnesh2ps vbitrev vblendmpd vblendmps vblendpd
  vblendps vblendvpd vblendvps vbmacor16x16x16 vbmacxor16x16x16 vbroadcastf128 vbroadcastf32x2
  vbroadcastf32x4 vbroadcastf32x8 vbroadcastf64x2 vbroadcastf64x4 vbroadcasti128
  vbroadcasti32x2 vbroadcasti32x4 vbroadcasti32x8 vbroadcasti64x2 vbroadcasti64x4 vbroadcastsd
  vbroadcastss vcmpbf16 vcmpeq_oqpd vcmpeq_oqps vcmpeq_oqsd vcmpeq_oqss vcmpeq_ospd vcmpeq_osps
  vcmpeq_ossd vcmpeq_osss vcmpeq_uqpd vcmpeq_uqps vcmpeq_uqsd vcmpeq_uqss vcmpeq_uspd
  vcmpeq_usps vcmpeq_ussd vcmpeq_usss vcmpeqpd vcmpeqps vcmpeqsd vcmpeqss vcmpfalse_oqpd
  vcmpfalse_oqps vcmpfalse_oqsd vcmpfalse_oqss vcmpfalse_ospd vcmpfalse_osps vcmpfalse_ossd
  vcmpfalse_osss vcmpfalsepd vcmpfalseps vcmpfalsesd vcmpfalsess vcmpge_oqpd vcmpge_oqps
  vcmpge_oqsd vcmpge_oqss vcmpge_ospd vcmpge_osps vcmpge_ossd vcmpge_osss vcmpgepd vcmpgeps
  vcmpgesd vcmpgess vcmpgt_oqpd vcmpgt_oqps vcmpgt_oqsd vcmpgt_oqss vcmpgt_ospd vcmpgt_osps
  vcmpgt_ossd vcmpgt_osss vcmpgtpd vcmpgtps vcmpgtsd vcmpgtss vcmple_oqpd vcmple_oqps
  vcmple_oqsd vcmple_oqss vcmple_ospd vcmple_osps vcmple_ossd vcmple_osss vcmplepd vcmpleps
  vcmplesd vcmpless vcmplt_oqpd vcmplt_oqps vcmplt_oqsd vcmplt_oqss vcmplt_ospd vcmplt_osps
  vcmplt_ossd vcmplt_osss vcmpltpd vcmpltps vcmpltsd vcmpltss vcmpneq_oqpd vcmpneq_oqps
  vcmpneq_oqsd vcmpneq_oqss vcmpneq_ospd vcmpneq_osps vcmpneq_ossd vcmpneq_osss vcmpneq_uqpd
  vcmpneq_uqps vcmpneq_uqsd vcmpneq_uqss vcmpneq_uspd vcmpneq_usps vcmpneq_ussd vcmpneq_usss
  vcmpneqpd vcmpneqps vcmpneqsd vcmpneqss vcmpnge_uqpd vcmpnge_uqps vcmpnge_uqsd vcmpnge_uqss
  vcmpnge_uspd vcmpnge_usps vcmpnge_ussd vcmpnge_usss vcmpngepd vcmpngeps vcmpngesd vcmpngess
  vcmpngt_uqpd vcmpngt_uqps vcmpngt_uqsd vcmpngt_uqss vcmpngt_uspd vcmpngt_usps vcmpngt_ussd
  vcmpngt_usss vcmpngtpd vcmpngtps vcmpngtsd vcmpngtss vcmpnle_uqpd vcmpnle_uqps vcmpnle_uqsd
  vcmpnle_uqss vcmpnle_uspd vcmpnle_usps vcmpnle_ussd vcmpnle_usss vcmpnlepd vcmpnleps
  vcmpnlesd vcmpnless vcmpnlt_uqpd vcmpnlt_uqps vcmpnlt_uqsd vcmpnlt_uqss vcmpnlt_uspd
  vcmpnlt_usps vcmpnlt_ussd vcmpnlt_usss vcmpnltpd vcmpnltps vcmpnltsd vcmpnltss vcmpord_qpd
  vcmpord_qps vcmpord_qsd vcmpord_qss vcmpord_spd vcmpord_sps vcmpord_ssd vcmpord_sss vcmpordpd
  vcmpordps vcmpordsd vcmpordss vcmppd vcmpph vcmpps vcmpsd vcmpsh vcmpss vcmptrue_uqpd
  vcmptrue_uqps vcmptrue_uqsd vcmptrue_uqss vcmptrue_uspd vcmptrue_usps vcmptrue_ussd
  vcmptrue_usss vcmptruepd vcmptrueps vcmptruesd vcmptruess vcmpunord_qpd vcmpunord_qps
  vcmpunord_qsd vcmpunord_qss vcmpunord_spd vcmpunord_sps vcmpunord_ssd vcmpunord_sss
  vcmpunordpd vcmpunordps vcmpunordsd vcmpunordss vcomisbf16 vcomisd vcomish vcomiss
  vcompresspd vcompressps vcomxsd vcomxsh vcomxss vcvt2ph2bf8 vcvt2ph2bf8s vcvt2ph2hf8
  vcvt2ph2hf8s vcvt2ps2phx vcvtbf162ibs vcvtbf162iubs vcvtbiasph2bf8 vcvtbiasph2bf8s
  vcvtbiasph2hf8 vcvtbiasph2hf8s vcvtdq2pd vcvtdq2ph vcvtdq2ps vcvthf82ph vcvtne2ps2bf16
  vcvtneebf162ps vcvtneeph2ps vcvtneobf162ps vcvtneoph2ps vcvtneps2bf16 vcvtpd2dq vcvtpd2ph
  vcvtpd2ps vcvtpd2qq vcvtpd2udq vcvtpd2uqq vcvtph2bf8 vcvtph2bf8s vcvtph2dq vcvtph2hf8
  vcvtph2hf8s vcvtph2ibs vcvtph2iubs vcvtph2pd vcvtph2ps vcvtph2psx vcvtph2qq vcvtph2udq
  vcvtph2uqq vcvtph2uw vcvtph2w vcvtps2dq vcvtps2ibs vcvtps2iubs vcvtps2pd vcvtps2ph vcvtps2phx
  vcvtps2qq vcvtps2udq vcvtps2uqq vcvtqq2pd vcvtqq2ph vcvtqq2ps vcvtsd2sh vcvtsd2si vcvtsd2ss
  vcvtsd2usi vcvtsh2sd vcvtsh2si vcvtsh2ss vcvtsh2usi vcvtsi2sd vcvtsi2sh vcvtsi2ss vcvtss2sd
  vcvtss2sh vcvtss2si vcvtss2usi vcvttbf162ibs vcvttbf162iubs vcvttpd2dq vcvttpd2dqs vcvttpd2qq
  vcvttpd2qqs vcvttpd2udq vcvttpd2udqs vcvttpd2uqq vcvttpd2uqqs vcvttph2dq vcvttph2ibs
  vcvttph2iubs vcvttph2qq vcvttph2udq vcvttph2uqq vcvttph2uw vcvttph2w vcvttps2dq vcvttps2dqs
  vcvttps2ibs vcvttps2iubs vcvttps2qq vcvttps2qqs vcvttps2udq vcvttps2udqs vcvttps2uqq
  vcvttps2uqqs vcvttsd2si vcvttsd2usi vcvttsh2si vcvttsh2usi vcvttss2si vcvttss2usi vcvtudq2pd
  vcvtudq2ph vcvtudq2ps vcvtuqq2pd vcvtuqq2ph vcvtuqq2ps vcvtusi2sd vcvtusi2sh vcvtusi2ss
  vcvtuw2ph vcvtw2ph vdbpsadbw vdivbf16 vdivpd vdivph vdivps vdivsd vdivsh vdivss vdpbf16ps
  vdppd vdpphps vdpps vendscaleph vendscalesh verr verw vex vex2 vex3 vexp2pd vexp2ps vexpandpd
  vexpandps vextractf128 vextractf32x4 vextractf32x8 vextractf64x2 vextractf64x4 vextracti128
  vextracti32x4 vextracti32x8 vextracti64x2 vextracti64x4 vextractps vfcmaddcph vfcmaddcsh
  vfcmulcph vfcmulcsh vfixupimmpd vfixupimmps vfixupimmsd vfixupimmss vfmadd123pd vfmadd123ps
  vfmadd123sd vfmadd123ss vfmadd132bf16 vfmadd132pd vfmadd132ph vfmadd132ps vfmadd132sd
  vfmadd132sh vfmadd132ss vfmadd213bf16 vfmadd213pd vfmadd213ph vfmadd213ps vfmadd213sd
  vfmadd213sh vfmadd213ss vfmadd231bf16 vfmadd231pd vfmadd231ph vfmadd231ps vfmadd231sd
  vfmadd231sh vfmadd231ss vfmadd312pd vfmadd312ps vfmadd312sd vfmadd312ss vfmadd321pd
  vfmadd321ps vfmadd321sd vfmadd321ss vfmaddcph vfmaddcsh vfmaddpd vfmaddps vfmaddsd vfmaddss
  vfmaddsub123pd vfmaddsub123ps vfmaddsub132pd vfmaddsub132ph vfmaddsub132ps vfmaddsub213pd
  vfmaddsub213ph vfmaddsub213ps vfmaddsub231pd vfmaddsub231ph vfmaddsub231ps vfmaddsub312pd
  vfmaddsub312ps vfmaddsub321pd vfmaddsub321ps vfmaddsubpd vfmaddsubps vfmsub123pd vfmsub123ps
  vfmsub123sd vfmsub123ss vfmsub132bf16 vfmsub132pd vfmsub132ph vfmsub132ps vfmsub132sd
  vfmsub132sh vfmsub132ss vfmsub213bf16 vfmsub213pd vfmsub213ph vfmsub213ps vfmsub213sd
  vfmsub213sh vfmsub213ss vfmsub231bf16 vfmsub231pd vfmsub231ph vfmsub231ps vfmsub231sd
  vfmsub231sh vfmsub231ss vfmsub312pd vfmsub312ps vfmsub312sd vfmsub312ss vfmsub321pd
  vfmsub321ps vfmsub321sd vfmsub321ss vfmsubadd123pd vfmsubadd123ps vfmsubadd132pd
  vfmsubadd132ph vfmsubadd132ps vfmsubadd213pd vfmsubadd213ph vfmsubadd213ps vfmsubadd231pd
  vfmsubadd231ph vfmsubadd231ps vfmsubadd312pd vfmsubadd312ps vfmsubadd321pd vfmsubadd321ps
  vfmsubaddpd vfmsubaddps vfmsubpd vfmsubps vfmsubsd vfmsubss vfmulcph vfmulcsh vfnmadd123pd
  vfnmadd123ps vfnmadd123sd vfnmadd123ss vfnmadd132bf16 vfnmadd132pd vfnmadd132ph vfnmadd132ps
  vfnmadd132sd vfnmadd132sh vfnmadd132ss vfnmadd213bf16 vfnmadd213pd vfnmadd213ph vfnmadd213ps
  vfnmadd213sd vfnmadd213sh vfnmadd213ss vfnmadd231bf16 vfnmadd231pd vfnmadd231ph vfnmadd231ps
  vfnmadd231sd vfnmadd231sh vfnmadd231ss vfnmadd312pd vfnmadd312ps vfnmadd312sd vfnmadd312ss
  vfnmadd321pd vfnmadd321ps vfnmadd321sd vfnmadd321ss vfnmaddpd vfnmaddps vfnmaddsd vfnmaddss
  vfnmsub123pd vfnmsub123ps vfnmsub123sd vfnmsub123ss vfnmsub132bf16 vfnmsub132pd vfnmsub132ph
  vfnmsub132ps vfnmsub132sd vfnmsub132sh vfnmsub132ss vfnmsub213bf16 vfnmsub213pd vfnmsub213ph
  vfnmsub213ps vfnmsub213sd vfnmsub213sh vfnmsub213ss vfnmsub231bf16 vfnmsub231pd vfnmsub231ph
  vfnmsub231ps vfnmsub231sd vfnmsub231sh vfnmsub231ss vfnmsub312pd vfnmsub312ps vfnmsub312sd
  vfnmsub312ss vfnmsub321pd vfnmsub321ps vfnmsub321sd vfnmsub321ss vfnmsubpd vfnmsubps
  vfnmsubsd vfnmsubss vfpclassbf16 vfpclasspd vfpclassph vfpclassps vfpclasssd vfpclasssh
  vfpclassss vfrczpd vfrczps vfrczsd vfrczss vgatherdpd vgatherdps vgatherpf0dpd vgatherpf0dps
  vgatherpf0qpd vgatherpf0qps vgatherpf1dpd vgatherpf1dps vgatherpf1qpd vgatherpf1qps
  vgatherqpd vgatherqps vgetexpbf16 vgetexppd vgetexpph vgetexpps vgetexpsd vgetexpsh vgetexpss
  vgetmantbf16 vgetmantpd vgetmantph vgetmantps vgetmantsd vgetmantsh vgetmantss
  vgf2p8affineinvqb vgf2p8affineqb vgf2p8mulb vhaddpd vhaddps vhsubpd vhsubps vinsertf128
  vinsertf32x4 vinsertf32x8 vinsertf64x2 vinsertf64x4 vinserti128 vinserti32x4 vinserti32x8
  vinserti64x2 vinserti64x4 vinsertps vlddqu vldmxcsr vldqqu vmaskmovdqu vmaskmovpd vmaskmovps
  vmaxbf16 vmaxpd vmaxph vmaxps vmaxsd vmaxsh vmaxss vmcall vmclear vmfunc vmgexit vminbf16
  vminmaxbf16 vminmaxpd vminmaxph vminmaxps vminmaxsd vminmaxsh vminmaxss vminpd vminph vminps
  vminsd vminsh vminss vmlaunch vmload vmmcall vmovapd vmovaps vmovd vmovddup vmovdqa vmovdqa32
  vmovdqa64 vmovdqu vmovdqu16 vmovdqu32 vmovdqu64 vmovdqu8 vmovhlps vmovhpd vmovhps vmovlhps
  vmovlpd vmovlps vmovmskpd vmovmskps vmovntdq vmovntdqa vmovntpd vmovntps vmovntqq vmovq
  vmovqqa vmovqqu vmovsd vmovsh vmovshdup vmovsldup vmovss vmovupd vmovups vmovw vmpsadbw
  vmptrld vmptrst vmread vmresume vmrun vmsave vmulbf16 vmulpd vmulph vmulps vmulsd vmulsh
  vmulss vmwrite vmxoff vmxon vorpd vorps vp2intersectd vp2intersectq vp4dpwssd vp4dpwssds
  vpabsb vpabsd vpabsq vpabsw vpackssdw vpacksswb vpackusdw vpackuswb vpaddb vpaddd vpaddq
  vpaddsb vpaddsw vpaddusb vpaddusw vpaddw vpalignr vpand vpandd vpandn vpandnd vpandnq vpandq
  vpavgb vpavgw vpblendd vpblendmb vpblendmd vpblendmq vpblendmw vpblendvb vpblendw
  vpbroadcastb vpbroadcastd vpbroadcastmb2q vpbroadcastmw2d vpbroadcastq vpbroadcastw
  vpclmulhqhqdq vpclmulhqlqdq vpclmullqhqdq vpclmullqlqdq vpclmulqdq vpcmov vpcmpb vpcmpd
  vpcmpeqb vpcmpeqd vpcmpeqq vpcmpequb vpcmpequd vpcmpequq vpcmpequw vpcmpeqw vpcmpestri
  vpcmpestrm vpcmpgeb vpcmpged vpcmpgeq vpcmpgeub vpcmpgeud vpcmpgeuq vpcmpgeuw vpcmpgew
  vpcmpgtb vpcmpgtd vpcmpgtq vpcmpgtub vpcmpgtud vpcmpgtuq vpcmpgtuw vpcmpgtw vpcmpistri
  vpcmpistrm vpcmpleb vpcmpled vpcmpleq vpcmpleub vpcmpleud vpcmpleuq vpcmpleuw vpcmplew
  vpcmpltb vpcmpltd vpcmpltq vpcmpltub vpcmpltud vpcmpltuq vpcmpltuw vpcmpltw vpcmpneqb
  vpcmpneqd vpcmpneqq vpcmpnequb vpcmpnequd vpcmpnequq vpcmpnequw vpcmpneqw vpcmpngtb vpcmpngtd
  vpcmpngtq vpcmpngtub vpcmpngtud vpcmpngtuq vpcmpngtuw vpcmpngtw vpcmpnleb vpcmpnled vpcmpnleq
  vpcmpnleub vpcmpnleud vpcmpnleuq vpcmpnleuw vpcmpnlew vpcmpnltb vpcmpnltd vpcmpnltq
  vpcmpnltub vpcmpnltud vpcmpnltuq vpcmpnltuw vpcmpnltw vpcmpq vpcmpub vpcmpud vpcmpuq vpcmpuw
  vpcmpw vpcomb vpcomd vpcompressb vpcompressd vpcompressq vpcompressw vpcomq vpcomub vpcomud
  vpcomuq vpcomuw vpcomw vpconflictd vpconflictq vpdpbssd vpdpbssds vpdpbsud vpdpbsuds vpdpbusd
  vpdpbusds vpdpbuud vpdpbuuds vpdpwssd vpdpwssds vpdpwsud vpdpwsuds vpdpwusd vpdpwusds
  vpdpwuud vpdpwuuds vperm2f128 vperm2i128 vpermb vpermd vpermi2b vpermi2d vpermi2pd vpermi2ps
  vpermi2q vpermi2w vpermilpd vpermilps vpermpd vpermps vpermq vpermt2b vpermt2d vpermt2pd
  vpermt2ps vpermt2q vpermt2w vpermw vpexpandb vpexpandd vpexpandq vpexpandw vpextrb vpextrd
  vpextrq vpextrw vpgatherdd vpgatherdq vpgatherqd vpgatherqq vphaddbd vphaddbq vphaddbw
  vphaddd vphadddq vphaddsw vphaddubd vphaddubq vphaddubw vphaddudq vphadduwd vphadduwq vphaddw
  vphaddwd vphaddwq vphminposuw vphsubbw vphsubd vphsubdq vphsubsw vphsubw vphsubwd vpinsrb
  vpinsrd vpinsrq vpinsrw vplzcntd vplzcntq vpmacsdd vpmacsdqh vpmacsdql vpmacssdd vpmacssdqh
  vpmacssdql vpmacsswd vpmacssww vpmacswd vpmacsww vpmadcsswd vpmadcswd vpmadd52huq vpmadd52luq
  vpmaddubsw vpmaddwd vpmaskmovd vpmaskmovq vpmaxsb vpmaxsd vpmaxsq vpmaxsw vpmaxub vpmaxud
  vpmaxuq vpmaxuw vpminsb vpminsd vpminsq vpminsw vpminub vpminud vpminuq vpminuw vpmovb2m
  vpmovd2m vpmovdb vpmovdw vpmovm2b vpmovm2d vpmovm2q vpmovm2w vpmovmskb vpmovq2m vpmovqb
  vpmovqd vpmovqw vpmovsdb vpmovsdw vpmovsqb vpmovsqd vpmovsqw vpmovswb vpmovsxbd vpmovsxbq
  vpmovsxbw vpmovsxdq vpmovsxwd vpmovsxwq vpmovusdb vpmovusdw vpmovusqb vpmovusqd vpmovusqw
  vpmovuswb vpmovw2m vpmovwb vpmovzxbd vpmovzxbq vpmovzxbw vpmovzxdq vpmovzxwd vpmovzxwq
  vpmuldq vpmulhrsw vpmulhuw vpmulhw vpmulld vpmullq vpmullw vpmultishiftqb vpmuludq vpopcntb
  vpopcntd vpopcntq vpopcntw vpor vpord vporq vpperm vprold vprolq vprolvd vprolvq vprord
  vprorq vprorvd vprorvq vprotb vprotd vprotq vprotw vpsadbw vpscatterdd vpscatterdq
  vpscatterqd vpscatterqq vpshab vpshad vpshaq vpshaw vpshlb vpshld vpshldd vpshldq vpshldvd
  vpshldvq vpshldvw vpshldw vpshlq vpshlw vpshrdd vpshrdq vpshrdvd vpshrdvq vpshrdvw vpshrdw
  vpshufb vpshufbitqmb vpshufd vpshufhw vpshuflw vpsignb vpsignd vpsignw vpslld vpslldq vpsllq
  vpsllvd vpsllvq vpsllvw vpsllw vpsrad vpsraq vpsravd vpsravq vpsravw vpsraw vpsrld vpsrldq
  vpsrlq vpsrlvd vpsrlvq vpsrlvw vpsrlw vpsubb vpsubd vpsubq vpsubsb vpsubsw vpsubusb vpsubusw
  vpsubw vpternlogd vpternlogq vptest vptestmb vptestmd vptestmq vptestmw vptestnmb vptestnmd
  vptestnmq vptestnmw vpunpckhbw vpunpckhdq vpunpckhqdq vpunpckhwd vpunpcklbw vpunpckldq
  vpunpcklqdq vpunpcklwd vpxor vpxord vpxorq vrangepd vrangeps vrangesd vrangess vrcp14pd
  vrcp14ps vrcp14sd vrcp14ss vrcp28pd vrcp28ps vrcp28sd vrcp28ss vrcpbf16 vrcpph vrcpps vrcpsh
  vrcpss vreducebf16 vreducepd vreduceph vreduceps vreducesd vreducesh vreducess vrndscalebf16
  vrndscalepd vrndscaleph vrndscaleps vrndscalesd vrndscalesh vrndscaless vroundpd vroundps
  vroundsd vroundss vrsqrt14pd vrsqrt14ps vrsqrt14sd vrsqrt14ss vrsqrt28pd vrsqrt28ps
  vrsqrt28sd vrsqrt28ss vrsqrtbf16 vrsqrtph vrsqrtps vrsqrtsh vrsqrtss vscalefbf16 vscalefpd
  vscalefph vscalefps vscalefsd vscalefsh vscalefss vscatterdpd vscatterdps vscatterpf0dpd
  vscatterpf0dps vscatterpf0qpd vscatterpf0qps vscatterpf1dpd vscatterpf1dps vscatterpf1qpd
  vscatterpf1qps vscatterqpd vscatterqps vsha512msg1 vsha512msg2 vsha512rnds2 vshuff32x4
  vshuff64x2 vshufi32x4 vshufi64x2 vshufpd vshufps vsm3msg1 vsm3msg2 vsm3rnds2 vsm4key4
  vsm4rnds4 vsqrtbf16 vsqrtpd vsqrtph vsqrtps vsqrtsd vsqrtsh vsqrtss vstmxcsr vsubbf16 vsubpd
  vsubph vsubps vsubsd vsubsh vsubss vtestpd vtestps vucomisd vucomish vucomiss vucomxsd
  vucomxsh vucomxss vunpckhpd vunpckhps vunpcklpd vunpcklps vxorpd vxorps vzeroall vzeroupper
  wait wbinvd wbnoinvd wrmsr wrmsrlist wrmsrns wrpkru wrshr wrssd wrssq wrussd wrussq xabort
  xacquire xchg xcryptcbc xcryptcfb xcryptctr xcryptecb xcryptofb xend xgetbv xlat xlatb xorpd
  xorps xrelease xresldtrk xrstor xrstor64 xrstors xrstors64 xsave xsave64 xsavec xsavec64
  xsaveopt xsaveopt64 xsaves xsaves64 xsetbv xsha1 xsha256 xstore xsusldtrk xtest
`;

export const nasmInstructionNames: ReadonlySet<string> = new Set(
  names.split(/\s+/).filter(Boolean),
);
