# Jumps close to the 1-byte/2-byte offset limits (63 back, 127 forward) with qstr and
# constant loads inside, so shifting indices moves offsets across the limits.
g = 0
def forward_8(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
    return g
def forward_10(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
    return g
def forward_12(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
    return g
def forward_14(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
    return g
def forward_16(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
    return g
def forward_18(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
    return g
def forward_20(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
    return g
def forward_22(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
    return g
def forward_24(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
    return g
def forward_26(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
        g = g + 24.5 if x > 24 else g
        g = g + 25.5 if x > 25 else g
    return g
def forward_28(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
        g = g + 24.5 if x > 24 else g
        g = g + 25.5 if x > 25 else g
        g = g + 26.5 if x > 26 else g
        g = g + 27.5 if x > 27 else g
    return g
def forward_30(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
        g = g + 24.5 if x > 24 else g
        g = g + 25.5 if x > 25 else g
        g = g + 26.5 if x > 26 else g
        g = g + 27.5 if x > 27 else g
        g = g + 28.5 if x > 28 else g
        g = g + 29.5 if x > 29 else g
    return g
def forward_32(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
        g = g + 24.5 if x > 24 else g
        g = g + 25.5 if x > 25 else g
        g = g + 26.5 if x > 26 else g
        g = g + 27.5 if x > 27 else g
        g = g + 28.5 if x > 28 else g
        g = g + 29.5 if x > 29 else g
        g = g + 30.5 if x > 30 else g
        g = g + 31.5 if x > 31 else g
    return g
def forward_34(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
        g = g + 24.5 if x > 24 else g
        g = g + 25.5 if x > 25 else g
        g = g + 26.5 if x > 26 else g
        g = g + 27.5 if x > 27 else g
        g = g + 28.5 if x > 28 else g
        g = g + 29.5 if x > 29 else g
        g = g + 30.5 if x > 30 else g
        g = g + 31.5 if x > 31 else g
        g = g + 32.5 if x > 32 else g
        g = g + 33.5 if x > 33 else g
    return g
def forward_36(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
        g = g + 24.5 if x > 24 else g
        g = g + 25.5 if x > 25 else g
        g = g + 26.5 if x > 26 else g
        g = g + 27.5 if x > 27 else g
        g = g + 28.5 if x > 28 else g
        g = g + 29.5 if x > 29 else g
        g = g + 30.5 if x > 30 else g
        g = g + 31.5 if x > 31 else g
        g = g + 32.5 if x > 32 else g
        g = g + 33.5 if x > 33 else g
        g = g + 34.5 if x > 34 else g
        g = g + 35.5 if x > 35 else g
    return g
def forward_38(x):
    global g
    if x:
        g = g + 0.5 if x > 0 else g
        g = g + 1.5 if x > 1 else g
        g = g + 2.5 if x > 2 else g
        g = g + 3.5 if x > 3 else g
        g = g + 4.5 if x > 4 else g
        g = g + 5.5 if x > 5 else g
        g = g + 6.5 if x > 6 else g
        g = g + 7.5 if x > 7 else g
        g = g + 8.5 if x > 8 else g
        g = g + 9.5 if x > 9 else g
        g = g + 10.5 if x > 10 else g
        g = g + 11.5 if x > 11 else g
        g = g + 12.5 if x > 12 else g
        g = g + 13.5 if x > 13 else g
        g = g + 14.5 if x > 14 else g
        g = g + 15.5 if x > 15 else g
        g = g + 16.5 if x > 16 else g
        g = g + 17.5 if x > 17 else g
        g = g + 18.5 if x > 18 else g
        g = g + 19.5 if x > 19 else g
        g = g + 20.5 if x > 20 else g
        g = g + 21.5 if x > 21 else g
        g = g + 22.5 if x > 22 else g
        g = g + 23.5 if x > 23 else g
        g = g + 24.5 if x > 24 else g
        g = g + 25.5 if x > 25 else g
        g = g + 26.5 if x > 26 else g
        g = g + 27.5 if x > 27 else g
        g = g + 28.5 if x > 28 else g
        g = g + 29.5 if x > 29 else g
        g = g + 30.5 if x > 30 else g
        g = g + 31.5 if x > 31 else g
        g = g + 32.5 if x > 32 else g
        g = g + 33.5 if x > 33 else g
        g = g + 34.5 if x > 34 else g
        g = g + 35.5 if x > 35 else g
        g = g + 36.5 if x > 36 else g
        g = g + 37.5 if x > 37 else g
    return g
def backward_4(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        x -= 1
    return g
def backward_5(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        x -= 1
    return g
def backward_6(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        x -= 1
    return g
def backward_7(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        x -= 1
    return g
def backward_8(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        x -= 1
    return g
def backward_9(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        g = g + x * 8.75
        x -= 1
    return g
def backward_10(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        g = g + x * 8.75
        g = g + x * 9.75
        x -= 1
    return g
def backward_11(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        g = g + x * 8.75
        g = g + x * 9.75
        g = g + x * 10.75
        x -= 1
    return g
def backward_12(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        g = g + x * 8.75
        g = g + x * 9.75
        g = g + x * 10.75
        g = g + x * 11.75
        x -= 1
    return g
def backward_13(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        g = g + x * 8.75
        g = g + x * 9.75
        g = g + x * 10.75
        g = g + x * 11.75
        g = g + x * 12.75
        x -= 1
    return g
def backward_14(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        g = g + x * 8.75
        g = g + x * 9.75
        g = g + x * 10.75
        g = g + x * 11.75
        g = g + x * 12.75
        g = g + x * 13.75
        x -= 1
    return g
def backward_15(x):
    global g
    while x > 0:
        g = g + x * 0.75
        g = g + x * 1.75
        g = g + x * 2.75
        g = g + x * 3.75
        g = g + x * 4.75
        g = g + x * 5.75
        g = g + x * 6.75
        g = g + x * 7.75
        g = g + x * 8.75
        g = g + x * 9.75
        g = g + x * 10.75
        g = g + x * 11.75
        g = g + x * 12.75
        g = g + x * 13.75
        g = g + x * 14.75
        x -= 1
    return g
def calls():
    r = 0
    r += forward_8(1)
    r += forward_10(1)
    r += forward_12(1)
    r += forward_14(1)
    r += forward_16(1)
    r += forward_18(1)
    r += forward_20(1)
    r += forward_22(1)
    r += forward_24(1)
    r += forward_26(1)
    r += forward_28(1)
    r += forward_30(1)
    r += forward_32(1)
    r += forward_34(1)
    r += forward_36(1)
    r += forward_38(1)
    r += backward_4(2)
    r += backward_5(2)
    r += backward_6(2)
    r += backward_7(2)
    r += backward_8(2)
    r += backward_9(2)
    r += backward_10(2)
    r += backward_11(2)
    r += backward_12(2)
    r += backward_13(2)
    r += backward_14(2)
    r += backward_15(2)
    return r
print("jumps", calls())
